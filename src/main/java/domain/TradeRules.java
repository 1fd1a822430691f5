package domain;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The trade store's business rules. "Today" is the date in the clock's zone (UTC unless configured),
 * so a trade maturing today is accepted everywhere until midnight in that zone.
 */
public final class TradeRules {
  /** What the version rule says about an incoming revision against the stored one. */
  public enum VersionDecision { ACCEPT_NEW, REPLACE_SAME, ACCEPT_HIGHER, REJECT_LOWER }

  private final Clock clock;

  public TradeRules(Clock clock) {
    this.clock = clock;
  }

  public LocalDate today() {
    return LocalDate.now(clock);
  }

  public Optional<Violation> checkMaturity(Trade trade) {
    if (trade.maturityDate().isBefore(today())) {
      return Optional.of(Violation.of(ErrorCode.INVALID_MATURITY_DATE, "maturity_date",
          "maturity_date " + trade.maturityDate() + " is before today (" + today() + ")"));
    }
    return Optional.empty();
  }

  /** The version rule; the trade store applies the same rule atomically in one guarded SQL statement. */
  public static VersionDecision decideVersion(Integer storedVersion, int incomingVersion) {
    if (storedVersion == null) {
      return VersionDecision.ACCEPT_NEW;
    }
    if (incomingVersion < storedVersion) {
      return VersionDecision.REJECT_LOWER;
    }
    return incomingVersion == storedVersion ? VersionDecision.REPLACE_SAME : VersionDecision.ACCEPT_HIGHER;
  }

  /** @param storedVersion the stored version when known (null if it was written concurrently) */
  public static Violation lowerVersion(Trade trade, Integer storedVersion) {
    String stored = storedVersion == null ? "the stored version" : "the stored version " + storedVersion;
    return Violation.of(ErrorCode.INVALID_VERSION, "version",
        "version " + trade.version() + " of trade " + trade.tradeId() + " is lower than " + stored);
  }
}
