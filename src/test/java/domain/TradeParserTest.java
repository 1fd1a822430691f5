package domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class TradeParserTest {
  private static final LocalDate TODAY = LocalDate.parse("2026-03-10");

  private static Map<String, Object> valid() {
    Map<String, Object> m = new HashMap<>();
    m.put("trade_id", "T1");
    m.put("version", 1);
    m.put("counter_party_id", "CP-1");
    m.put("book_id", "B1");
    m.put("maturity_date", "2026-05-20");
    m.put("created_date", "2026-01-11");
    m.put("expired", false);
    return m;
  }

  private static Violation violationOf(Map<String, Object> json) {
    return assertThrows(ViolationException.class, () -> TradeParser.parse(json, TODAY)).violation();
  }

  @Test
  void parsesTheSeedMessageFormat() {
    Trade t = TradeParser.parse(valid(), TODAY);
    assertEquals(
        new Trade(
            "T1",
            1,
            "CP-1",
            "B1",
            LocalDate.parse("2026-05-20"),
            LocalDate.parse("2026-01-11"),
            false),
        t);
  }

  @Test
  void createdDateDefaultsToTodayAndExpiredIsNeverTakenFromTheClient() {
    Map<String, Object> json = valid();
    json.remove("created_date");
    json.put("expired", true);
    Trade t = TradeParser.parse(json, TODAY);
    assertEquals(TODAY, t.createdDate());
    assertFalse(t.expired());
  }

  @ParameterizedTest
  @CsvSource({"trade_id", "version", "counter_party_id", "book_id", "maturity_date"})
  void missingRequiredFieldIsNamed(String field) {
    Map<String, Object> json = valid();
    json.remove(field);
    Violation v = violationOf(json);
    assertEquals(ErrorCode.MISSING_FIELD, v.code());
    assertEquals(field, v.field());
  }

  @Test
  void wrongTypesAreNamed() {
    assertInvalid("version", "1");
    assertInvalid("version", 1.5);
    assertInvalid("version", -1);
    assertInvalid("version", 3_000_000_000L);
    assertInvalid("version", new java.math.BigInteger("99999999999999999999"));
    assertInvalid("trade_id", 42);
    assertInvalid("book_id", "x".repeat(51));
    assertInvalid("counter_party_id", "  ");
    assertInvalid("maturity_date", "20-05-2026");
    assertInvalid("maturity_date", 20260520);
    assertInvalid("created_date", "yesterday");
    assertInvalid("expired", "no");
    assertInvalid("maturity_date", "+11761246-01-21");
    assertInvalid("trade_id", "T\u00001");
    assertInvalid("trade_id", "T\ud800"); // not Unicode: would be stored as "T?"
  }

  private static void assertInvalid(String field, Object value) {
    Map<String, Object> json = valid();
    json.put(field, value);
    Violation v = violationOf(json);
    assertEquals(field, v.field(), () -> "for " + field + "=" + value + ": " + v);
  }
}
