package contract;

/**
 * Kafka topics of the seeds. The raw-event topics and their completion topics are described with
 * their tables in {@code domain.RawEventType}.
 */
public final class Topics {
  /** Trades from other systems (seed 001). */
  public static final String TRADES = "trades";

  /** Records accepted by {@code POST /records} (seed 002). */
  public static final String RECORDS_IN = "records.in";

  public static final String NOTIFICATIONS = "notifications";
  public static final String ALERTS = "alerts";

  /** Price ticks (seed 004). */
  public static final String RAW_PRICES = "raw_prices";

  /** Enriched real-time quotes, keyed by symbol (seed 003): a second source of the same ticks. */
  public static final String MARKET_QUOTES_ENRICHED = "market.quotes.enriched";

  /** Portfolio events published through the outbox (seed 003). */
  public static final String PORTFOLIO_EVENTS = "portfolio.events";

  /** Appended to a consumed topic's name for its dead-letter topic. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private Topics() {}
}
