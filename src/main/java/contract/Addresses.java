package contract;

/** Event-bus addresses; the correlation id travels in the {@link Headers#CORRELATION_ID} header. */
public final class Addresses {
  public static final String TRADES_UPSERT = "trades.upsert";
  public static final String TRADES_DELETE = "trades.delete";
  public static final String TRADES_EXPIRE = "trades.expire";
  public static final String TRADES_COUNTERS_REPAIR = "trades.counters.repair";
  public static final String AUDIT_APPEND = "audit.append";
  public static final String OUTBOX_WAKE = "outbox.wake";
  public static final String EVENTS_PERSIST = "events.persist";
  public static final String RECORDS_INGEST = "records.ingest";
  public static final String QUOTES_UPDATED = "quotes.updated";
  public static final String PORTFOLIO_SEED = "portfolio.seed";
  public static final String LEDGER_TRANSFER = "ledger.transfer";
  public static final String LEDGER_SEED_BALANCE = "ledger.seed-balance";

  /**
   * Ticks written without Kafka (the quote simulator while the broker is unavailable) → price
   * consumer.
   */
  public static final String PRICES_DIRECT = "prices.direct";

  /** Writes of the FinPulse resources: {@code {resource, op, id, body}}. */
  public static final String FINPULSE_WRITE = "finpulse.write";

  private Addresses() {}
}
