package finpulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.FraudDetector;
import analytics.IdentityScore;
import analytics.Surveillance;
import analytics.ValueAtRisk;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The analytics against hand-computed fixtures (the arithmetic is in the comments). */
@Tag("unit")
class AnalyticsTest {
  /** Returns +2 %, −2 %, +2 %, −1 %: μ = 0.0025, σ = √(0.001275 / 3) = √0.000425 = 0.0206155281. */
  private static final double[] VALUES = {100, 102, 99.96, 101.9592, 100.939608};

  private static final double LATEST = 100.939608;

  @Test
  void parametricVarIsTheNormalQuantileOfTheReturns() {
    // z(0.95) = 1.6448536270; V · (z·σ − μ) = 100.939608 · (0.0339095082 − 0.0025) = 3.1704652634
    ValueAtRisk.Result at95 = ValueAtRisk.compute(VALUES, 0.95, ValueAtRisk.Method.PARAMETRIC);
    assertEquals(3.1704652634, at95.var(), 1e-9);
    assertEquals(0.0025, at95.meanReturn(), 1e-12);
    assertEquals(0.0206155281, at95.volatility(), 1e-9);
    assertEquals(4, at95.returns());
    // z(0.99) = 2.3263478740; 100.939608 · (0.0479587063 − 0.0025) = 4.5886025400
    assertEquals(
        4.5886025400, ValueAtRisk.compute(VALUES, 0.99, ValueAtRisk.Method.PARAMETRIC).var(), 1e-9);
  }

  @Test
  void historicalVarIsTheEmpiricalQuantileOfTheReturns() {
    // sorted returns: −0.02, −0.01, 0.02, 0.02; at 95 % the ⌈4 · 0.05⌉ = 1st: −0.02 → 0.02 · V
    assertEquals(
        0.02 * LATEST,
        ValueAtRisk.compute(VALUES, 0.95, ValueAtRisk.Method.HISTORICAL).var(),
        1e-9);
    // at 50 % the ⌈4 · 0.5⌉ = 2nd: −0.01 → 0.01 · V
    assertEquals(
        0.01 * LATEST,
        ValueAtRisk.compute(VALUES, 0.50, ValueAtRisk.Method.HISTORICAL).var(),
        1e-9);
  }

  @Test
  void varOfASeriesThatOnlyGainsIsZeroAndTooShortASeriesIsRefused() {
    assertEquals(
        0,
        ValueAtRisk.compute(new double[] {100, 110, 121}, 0.95, ValueAtRisk.Method.HISTORICAL)
            .var());
    assertThrows(
        IllegalArgumentException.class,
        () -> ValueAtRisk.compute(new double[] {100, 101}, 0.95, ValueAtRisk.Method.PARAMETRIC));
    assertThrows(
        IllegalArgumentException.class,
        () -> ValueAtRisk.compute(VALUES, 1.0, ValueAtRisk.Method.PARAMETRIC));
  }

  @Test
  void surveillanceScoresTheZScoreOfTheNotional() {
    Surveillance surveillance = new Surveillance(3.0, 5);
    // history mean 100, sample sd √((0 + 4 + 4 + 1 + 1) / 4) = √2.5 = 1.5811388
    double[] history = {100, 102, 98, 101, 99};
    Surveillance.Result unusual = surveillance.score(history, 110);
    assertEquals(6.3245553203, unusual.score(), 1e-9); // 10 / 1.5811388
    assertTrue(unusual.alert());
    Surveillance.Result usual = surveillance.score(history, 101);
    assertEquals(0.6324555320, usual.score(), 1e-9);
    assertFalse(usual.alert());
    assertTrue(
        surveillance.score(history, 95).alert(), "a notional far below is unusual too: z = −3.16");
    assertEquals(
        new Surveillance.Result(0, false),
        surveillance.score(new double[] {100, 101, 102, 103}, 1e9),
        "fewer than 5 notionals: no basis");
    assertEquals(
        new Surveillance.Result(0, false),
        surveillance.score(new double[] {5, 5, 5, 5, 5}, 1e9),
        "no spread: no basis");
  }

  @Test
  void identityScoreAddsTheWeightOfEveryRuleThatHolds() {
    LocalDate today = LocalDate.of(2024, 6, 1);
    Map<String, String> customer =
        new HashMap<>(
            Map.of(
                "name",
                "Ada Lovelace",
                "email",
                "ada@example.org",
                "phone",
                "+44 20 7946 0958",
                "date_of_birth",
                "2006-06-01",
                "national_id",
                "AB-123456",
                "country",
                "GB"));
    assertEquals(new BigDecimal("1.00"), IdentityScore.score(customer, today));
    customer.put("date_of_birth", "2006-06-02"); // 17 years old today: −0.20
    assertEquals(new BigDecimal("0.80"), IdentityScore.score(customer, today));
    customer.put("email", "ada.example.org"); // −0.20
    customer.put("phone", "12345"); // too few digits: −0.15
    assertEquals(new BigDecimal("0.45"), IdentityScore.score(customer, today));
    assertEquals(new BigDecimal("0.00"), IdentityScore.score(Map.of("name", "Ada"), today));
  }

  private static final FraudDetector.Policy POLICY =
      new FraudDetector.Policy(50, 0.6, 0.7, 10_000, 100_000);

  @Test
  void fraudFallsBackToAmountThresholdsWithTooLittleHistory() {
    FraudDetector detector = FraudDetector.train(new double[] {10, 20, 30}, POLICY);
    assertFalse(detector.trained());
    assertEquals(new FraudDetector.Assessment(0.05, "allow", "fallback"), detector.assess(5_000));
    assertEquals(new FraudDetector.Assessment(0.2, "review", "fallback"), detector.assess(20_000));
    assertEquals(new FraudDetector.Assessment(1.0, "block", "fallback"), detector.assess(250_000));
  }

  @Test
  void fraudIsolationForestBlocksWhatTheHistoryNeverSaw() {
    double[] history = lognormalAmounts(500, 7);
    FraudDetector detector = FraudDetector.train(history, POLICY);
    assertTrue(detector.trained());
    assertEquals(500, detector.trainedOn());
    FraudDetector.Assessment typical = detector.assess(150); // e^5, the median of the history
    assertEquals("allow", typical.recommendation(), typical::toString);
    assertTrue(typical.score() < 0.55, typical::toString);
    FraudDetector.Assessment outlier = detector.assess(1_000_000);
    assertEquals("block", outlier.recommendation(), outlier::toString);
    assertEquals("isolation-forest", outlier.model());
  }

  /** Amounts e^N(5, 1): most between 55 and 400, as payments tend to be. */
  static double[] lognormalAmounts(int count, long seed) {
    Random random = new Random(seed);
    double[] amounts = new double[count];
    for (int i = 0; i < count; i++) {
      amounts[i] = Math.round(Math.exp(5 + random.nextGaussian()) * 100) / 100.0;
    }
    return amounts;
  }
}
