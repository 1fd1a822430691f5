package domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class IngestParsersTest {

  private static Map<String, Object> record() {
    Map<String, Object> m = new HashMap<>();
    m.put("recordId", "rec-001");
    m.put("time", "2024-03-01T12:00:00Z");
    m.put("sourceId", "source-a");
    m.put("destinationId", "dest-123");
    m.put("type", "negative");
    m.put("value", 125.50);
    m.put("unit", "SEK");
    m.put("reference", "invoice-9");
    return m;
  }

  private static String offendingField(Runnable parse) {
    return assertThrows(ViolationException.class, parse::run).violation().field();
  }

  @Test
  void recordSignComesFromItsType() {
    IngestRecord r = IngestRecord.parse(record());
    assertEquals(new BigDecimal("-125.5"), r.signedValue());
    assertEquals("negative", r.type().wireName());
  }

  @Test
  void recordErrorsNameTheField() {
    Map<String, Object> unknownType = record();
    unknownType.put("type", "sideways");
    assertEquals("type", offendingField(() -> IngestRecord.parse(unknownType)));
    Map<String, Object> negative = record();
    negative.put("value", "-1");
    assertEquals("value", offendingField(() -> IngestRecord.parse(negative)));
    Map<String, Object> badTime = record();
    badTime.put("time", "2024-03-01");
    assertEquals("time", offendingField(() -> IngestRecord.parse(badTime)));
  }

  @Test
  void rawEventsAreTypedAndKeyedByTheirNaturalKey() {
    Map<String, Object> fx =
        new HashMap<>(
            Map.of(
                "from_currency",
                "EUR",
                "to_currency",
                "USD",
                "rate_date",
                "2025-08-01",
                "rate",
                "1.0876543210"));
    RawEventType.Parsed parsed = RawEventType.FX_RATE.parse(fx);
    assertEquals(
        List.of("EUR", "USD", LocalDate.parse("2025-08-01"), new BigDecimal("1.0876543210")),
        parsed.values());
    assertEquals("EUR|USD|2025-08-01", parsed.entityKey());
    assertEquals(RawEventType.FX_RATE, RawEventType.ofTopic("fx_rates").orElseThrow());
  }

  @Test
  void rawEventErrorsNameTheField() {
    Map<String, Object> price =
        new HashMap<>(
            Map.of(
                "security_id",
                "S1",
                "price_date",
                "2025-08-01",
                "price",
                "abc",
                "currency",
                "USD"));
    assertEquals("price", offendingField(() -> RawEventType.MARKET_PRICE.parse(price)));
    price.put("price", 10);
    price.put("currency", "usd");
    assertEquals("currency", offendingField(() -> RawEventType.MARKET_PRICE.parse(price)));
    price.remove("currency");
    assertEquals(
        ErrorCode.MISSING_FIELD,
        assertThrows(ViolationException.class, () -> RawEventType.MARKET_PRICE.parse(price))
            .violation()
            .code());
  }

  /** Whatever the database would refuse or silently alter is refused here, naming the field. */
  @Test
  void valuesBeyondWhatTheColumnsHoldAreRefused() {
    Map<String, Object> tooPrecise = record();
    tooPrecise.put("value", "1.00000000001");
    assertEquals("value", offendingField(() -> IngestRecord.parse(tooPrecise)));
    Map<String, Object> tooLarge = record();
    tooLarge.put("value", 1e21);
    assertEquals("value", offendingField(() -> IngestRecord.parse(tooLarge)));
    Map<String, Object> nul = record();
    nul.put("unit", "SE\u0000K");
    assertEquals("unit", offendingField(() -> IngestRecord.parse(nul)));
    Map<String, Object> farFuture = record();
    farFuture.put("time", "+10000-01-01T00:00:00Z");
    assertEquals("time", offendingField(() -> IngestRecord.parse(farFuture)));
  }

  /** Parsing 100 000 digits would hold the event loop; no column holds that many anyway. */
  @Test
  void overLongDecimalTextIsRefusedUnparsed() {
    Map<String, Object> huge = record();
    huge.put("value", "1" + "0".repeat(100_000));
    Violation violation =
        assertThrows(ViolationException.class, () -> IngestRecord.parse(huge)).violation();
    assertEquals("value must be a decimal number of at most 100 characters", violation.message());
    huge.put("value", Float.NaN);
    assertEquals("value", offendingField(() -> IngestRecord.parse(huge)));
  }

  /**
   * The database client would store an unpaired surrogate as '?': refused, while real pairs (emoji)
   * pass.
   */
  @Test
  void textMustBeValidUnicode() {
    Map<String, Object> lone = record();
    lone.put("reference", "invoice-\ud800");
    assertEquals("reference", offendingField(() -> IngestRecord.parse(lone)));
    lone.put("reference", "\udc00\ud83d-invoice");
    assertEquals("reference", offendingField(() -> IngestRecord.parse(lone)));
    lone.put("reference", "invoice-🚀");
    assertEquals("invoice-🚀", IngestRecord.parse(lone).reference());
  }
}
