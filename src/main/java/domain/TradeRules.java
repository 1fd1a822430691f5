package domain;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The trade store's business rules. "Today" is the date in the clock's zone (UTC unless
 * configured), so a trade maturing today is accepted everywhere until midnight in that zone.
 */
public final class TradeRules {
  private final Clock clock;

  public TradeRules(Clock clock) {
    this.clock = clock;
  }

  public LocalDate today() {
    return LocalDate.now(clock);
  }

  public Optional<Violation> checkMaturity(Trade trade) {
    if (trade.maturityDate().isBefore(today())) {
      return Optional.of(
          Violation.of(
              ErrorCode.INVALID_MATURITY_DATE,
              "maturity_date",
              "maturity_date " + trade.maturityDate() + " is before today (" + today() + ")"));
    }
    return Optional.empty();
  }

  /**
   * @param storedVersion the stored version when known (null if it was written concurrently)
   */
  public static Violation lowerVersion(Trade trade, Integer storedVersion) {
    String stored =
        storedVersion == null ? "the stored version" : "the stored version " + storedVersion;
    return Violation.of(
        ErrorCode.INVALID_VERSION,
        "version",
        "version " + trade.version() + " of trade " + trade.tradeId() + " is lower than " + stored);
  }
}
