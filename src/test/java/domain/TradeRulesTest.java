package domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TradeRulesTest {
  private static final Instant NOON_UTC = Instant.parse("2026-03-10T12:00:00Z");
  private final TradeRules rules = new TradeRules(Clock.fixed(NOON_UTC, ZoneOffset.UTC));

  private static Trade maturing(LocalDate maturity) {
    return new Trade("T1", 1, "CP-1", "B1", maturity, LocalDate.parse("2026-01-01"), false);
  }

  @Test
  void maturityBeforeTodayIsRejected() {
    Violation v = rules.checkMaturity(maturing(LocalDate.parse("2026-03-09"))).orElseThrow();
    assertEquals(ErrorCode.INVALID_MATURITY_DATE, v.code());
    assertEquals("maturity_date", v.field());
  }

  @Test
  void maturityTodayOrLaterIsAccepted() {
    assertTrue(rules.checkMaturity(maturing(LocalDate.parse("2026-03-10"))).isEmpty());
    assertTrue(rules.checkMaturity(maturing(LocalDate.parse("2030-01-01"))).isEmpty());
  }

  @Test
  void todayFollowsTheConfiguredZone() {
    // 23:30 UTC on the 10th is already the 11th in Tokyo: a trade maturing on the 10th has matured
    // there.
    Instant lateEvening = Instant.parse("2026-03-10T23:30:00Z");
    TradeRules tokyo = new TradeRules(Clock.fixed(lateEvening, ZoneId.of("Asia/Tokyo")));
    TradeRules utc = new TradeRules(Clock.fixed(lateEvening, ZoneOffset.UTC));
    Trade t = maturing(LocalDate.parse("2026-03-10"));
    assertTrue(utc.checkMaturity(t).isEmpty());
    assertTrue(tokyo.checkMaturity(t).isPresent());
  }

  @Test
  void lowerVersionViolationNamesTheStoredVersion() {
    Violation v = TradeRules.lowerVersion(maturing(LocalDate.parse("2026-04-01")), 5);
    assertEquals(ErrorCode.INVALID_VERSION, v.code());
    assertEquals("version", v.field());
    assertTrue(v.message().contains("5"), v.message());
  }
}
