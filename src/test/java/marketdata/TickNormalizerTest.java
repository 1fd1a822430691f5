package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import domain.ErrorCode;
import domain.QuoteSymbols;
import domain.Tick;
import domain.TickJson;
import domain.TickNormalizer;
import domain.Violation;
import domain.ViolationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tick normalisation: aliases, exact decimals, timestamps, and the refusals that send a tick to the
 * DLQ.
 */
@Tag("unit")
class TickNormalizerTest {
  private static final long FALLBACK = 1_700_000_000_000L;

  private static Tick normalize(String json) {
    return TickNormalizer.normalize(TickJson.parseObject(json), FALLBACK);
  }

  private static Violation refusal(String json) {
    return assertThrows(ViolationException.class, () -> normalize(json)).violation();
  }

  @Test
  void canonicalFieldsPassThrough() {
    Tick tick =
        normalize(
            "{\"symbol\":\"AAPL\",\"price\":187.25,\"size\":100,\"timestamp_ms\":1700000000123,\"exchange\":\"XNAS\"}");
    assertEquals(
        new Tick(
            "AAPL", new BigDecimal("187.25"), new BigDecimal("100"), 1_700_000_000_123L, "XNAS"),
        tick);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"s\":\"aapl\",\"p\":\"1.5\",\"q\":2,\"t\":5,\"x\":\"arca\"}",
        "{\"ticker\":\" AAPL \",\"last\":1.50,\"qty\":\"2\",\"ts\":\"5\",\"venue\":\"ARCA\"}",
        "{\"sym\":\"AAPL\",\"last_price\":1.5,\"volume\":2.0,\"timestamp\":5,\"ex\":\"arca\"}",
        "{\"symbol\":\"AAPL\",\"price\":1.5,\"quantity\":2,\"time\":\"1970-01-01T00:00:00.005Z\",\"exchange\":\"ARCA\"}"
      })
  void aliasesNormaliseToTheSameTick(String json) {
    assertEquals(
        new Tick("AAPL", new BigDecimal("1.5"), new BigDecimal("2"), 5L, "ARCA"), normalize(json));
  }

  @Test
  void decimalsStayExactBeyondDoublePrecision() {
    Tick tick = normalize("{\"s\":\"X\",\"p\":12345678901234567.1234567891,\"q\":0.0000000001}");
    assertEquals("12345678901234567.1234567891", tick.price().toPlainString());
    assertEquals("0.0000000001", tick.size().toPlainString());
  }

  @Test
  void optionalFieldsDefault() {
    Tick tick = normalize("{\"s\":\"X\",\"p\":1}");
    assertNull(tick.size());
    assertNull(tick.exchange());
    assertEquals(FALLBACK, tick.timestampMs(), "no timestamp: the Kafka record's");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2024-03-01T10:15:30.250+02:00 | 2024-03-01T08:15:30.250Z",
        "2024-03-01T10:15:30.250Z      | 2024-03-01T10:15:30.250Z",
        "2024-03-01T10:15:30           | 2024-03-01T10:15:30Z"
      })
  void isoTimestamps(String given, String expected) {
    assertEquals(
        Instant.parse(expected).toEpochMilli(),
        normalize("{\"s\":\"X\",\"p\":1,\"t\":\"" + given + "\"}").timestampMs());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"p\":1}                                  | MISSING_FIELD | symbol",
        "{\"s\":\"X\"}                              | MISSING_FIELD | price",
        "{\"s\":\"X\",\"p\":null}                   | MISSING_FIELD | price",
        "{\"s\":\"X\",\"p\":\"abc\"}                | INVALID_FIELD | price",
        "{\"s\":\"X\",\"p\":0}                      | INVALID_FIELD | price",
        "{\"s\":\"X\",\"p\":-2}                     | INVALID_FIELD | price",
        "{\"s\":\"X\",\"p\":1.12345678901}          | INVALID_FIELD | price",
        "{\"s\":\"X\",\"p\":123456789012345678901}  | INVALID_FIELD | price",
        "{\"s\":\"X\",\"p\":true}                   | INVALID_FIELD | price",
        "{\"s\":\"X\",\"p\":1,\"q\":-1}             | INVALID_FIELD | size",
        "{\"s\":\"bad symbol\",\"p\":1}             | INVALID_FIELD | symbol",
        "{\"s\":42,\"p\":1}                         | INVALID_FIELD | symbol",
        "{\"s\":\"X\",\"p\":1,\"t\":\"yesterday\"}  | INVALID_FIELD | timestamp_ms",
        "{\"s\":\"X\",\"p\":1,\"t\":1.5}            | INVALID_FIELD | timestamp_ms",
        "{\"s\":\"X\",\"p\":1,\"t\":-1}             | INVALID_FIELD | timestamp_ms",
        "{\"s\":\"X\",\"p\":1,\"t\":1700000000000000000} | INVALID_FIELD | timestamp_ms",
        "{\"s\":\"X\",\"p\":1,\"x\":7}              | INVALID_FIELD | exchange",
        "{\"s\":\"X\",\"p\":1,\"x\":\"A\\ud800\"}     | INVALID_FIELD | exchange",
        "{\"s\":\"X\",\"p\":1,\"t\":\"+999999999-12-31T23:59:59Z\"} | INVALID_FIELD | timestamp_ms",
        "{\"s\":\"X\",\"p\":1,\"t\":\"-999999999-01-01T00:00:00\"}  | INVALID_FIELD | timestamp_ms"
      })
  void refusalsNameTheCanonicalField(String json, ErrorCode code, String field) {
    Violation violation = refusal(json);
    assertEquals(code, violation.code(), violation::message);
    assertEquals(field, violation.field());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{not json",
        "[1,2]",
        "\"AAPL\"",
        "''",
        "{\"s\":\"X\"} trailing",
        "{\"s\":\"X\",\"p\":1e-2147483649}"
      })
  void malformedJson(String text) {
    assertEquals(
        ErrorCode.MALFORMED_JSON,
        assertThrows(ViolationException.class, () -> TickJson.parseObject(text))
            .violation()
            .code());
  }

  /** Parsing 100 000 digits (and stripping their zeros) would hold the event loop for seconds. */
  @Test
  void overLongNumbersAreRefusedUnparsed() {
    Violation violation = refusal("{\"s\":\"X\",\"p\":\"1" + "0".repeat(100_000) + "\"}");
    assertEquals("price", violation.field());
    assertEquals("price must be a decimal number of at most 100 characters", violation.message());
  }

  @Test
  void symbolListsAreNormalisedDistinctAndBounded() {
    assertEquals(List.of("AAPL", "MSFT"), QuoteSymbols.fromCsv("aapl, MSFT,AAPL", 2));
    assertEquals(
        "symbols",
        assertThrows(ViolationException.class, () -> QuoteSymbols.fromCsv("A,B,C", 2))
            .violation()
            .field());
    assertEquals(
        "symbols",
        assertThrows(ViolationException.class, () -> QuoteSymbols.fromCsv(" ", 2))
            .violation()
            .field());
    assertEquals(
        "symbols",
        assertThrows(ViolationException.class, () -> QuoteSymbols.fromList(List.of(1), 2))
            .violation()
            .field());
  }
}
