package domain;

/** Request on {@code trades.upsert}: store this revision if the rules allow it. */
public record UpsertTrade(Trade trade, Source source) {

  /** Where a write came from, for the audit trail and statistics. */
  public enum Source {
    REST,
    KAFKA;

    public String wireName() {
      return name().toLowerCase();
    }
  }
}
