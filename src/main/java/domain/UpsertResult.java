package domain;

/** Reply on {@code trades.upsert}: the stored trade, or the rule it broke. */
public record UpsertResult(Outcome outcome, Trade trade, Violation violation) {

  public enum Outcome {
    CREATED,
    REPLACED,
    UPDATED,
    REJECTED
  }

  public static UpsertResult stored(Outcome outcome, Trade trade) {
    return new UpsertResult(outcome, trade, null);
  }

  public static UpsertResult rejected(Trade trade, Violation violation) {
    return new UpsertResult(Outcome.REJECTED, trade, violation);
  }

  public boolean isRejected() {
    return outcome == Outcome.REJECTED;
  }
}
