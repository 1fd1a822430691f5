package metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The business meters, named once here (Prometheus adds {@code _total} to counters): what operators
 * alert on and what {@code deploy/grafana-dashboard.json} draws. Each is cheap to update on an
 * event loop.
 */
public final class Meters {
  public static final String TRADES_PROCESSED = "trades_processed";
  public static final String VALIDATION_FAILURES = "validation_failures";
  public static final String TRADES_EXPIRED = "trades_expired";
  public static final String DLQ_SENDS = "dlq_sends";
  public static final String RETRIES = "retries";
  public static final String BUGS = "bugs";
  public static final String KAFKA_IN_FLIGHT = "kafka_consumer_in_flight_records";
  public static final String KAFKA_PAUSED = "kafka_consumer_paused_partitions";
  public static final String OUTBOX_BACKLOG = "outbox_backlog_rows";
  public static final String OUTBOX_OLDEST_AGE = "outbox_oldest_age_seconds";
  public static final String WS_CONNECTIONS = "ws_connections";
  public static final String WS_SUBSCRIPTIONS = "ws_subscribed_symbols";
  public static final String WS_CONFLATED = "ws_conflated_quotes";
  public static final String RATE_LIMIT_STORE_FAILURES = "rate_limit_store_failures";
  public static final String AUDIT_DROPPED = "audit_dropped";
  public static final String AUDIT_BUFFERED = "audit_buffered";

  /** Items per write transaction of each group commit ({@code batching.GroupCommit}). */
  public static final String TRADES_UPSERT_BATCH_SIZE = "trades_upsert_batch_size";

  public static final String EVENTS_PERSIST_BATCH_SIZE = "events_persist_batch_size";
  public static final String RECORDS_INGEST_BATCH_SIZE = "records_ingest_batch_size";
  public static final String PRICES_STORE_BATCH_SIZE = "prices_store_batch_size";
  public static final String AUDIT_WRITE_BATCH_SIZE = "audit_write_batch_size";

  /** Vert.x's own timer of HTTP server responses, given a histogram at startup. */
  public static final String HTTP_SERVER_RESPONSE_TIME = "vertx.http.server.response.time";

  private static final Map<List<String>, Counter> COUNTERS = new ConcurrentHashMap<>();
  private static final Map<List<String>, AtomicLong> GAUGES = new ConcurrentHashMap<>();
  private static volatile MeterRegistry countersOf;

  private Meters() {}

  /**
   * Registers the counters a dashboard and an alert expect from the start, at zero: a series that
   * appears only after its first event cannot be told apart from a meter that is missing.
   */
  public static void registerAtZero() {
    for (String source : new String[] {"rest", "kafka"}) {
      for (String outcome : new String[] {"created", "replaced", "updated", "rejected"}) {
        tradesProcessed(source, outcome);
      }
    }
    tradesExpired();
    retries();
    bugs("kafka");
    bugs("bus");
    auditDroppedCounter();
  }

  /**
   * @param outcome created, replaced, updated or rejected
   */
  public static void tradeProcessed(String source, String outcome) {
    tradesProcessed(source, outcome).increment();
  }

  /**
   * Input refused for what it is (a 4xx, a dead letter, a rule), by error code and where it came
   * from.
   */
  public static void validationFailure(String code, String source) {
    counter(
            VALIDATION_FAILURES,
            "inputs refused as invalid, by error code and source",
            "code",
            code,
            "source",
            source)
        .increment();
  }

  public static void tradesExpired(long count) {
    tradesExpired().increment(count);
  }

  /**
   * @param topic the dead-letter topic
   */
  public static void deadLettered(String topic) {
    counter(DLQ_SENDS, "records sent to a dead-letter topic", "topic", topic).increment();
  }

  /**
   * @param mode RATE_LIMIT_WHEN_STORE_DOWN, lower case: what the limiter did instead
   */
  public static Counter rateLimitStoreFailures(String mode) {
    return counter(
        RATE_LIMIT_STORE_FAILURES,
        "rate-limit decisions made without the shared bucket store, by what "
            + "RATE_LIMIT_WHEN_STORE_DOWN did instead",
        "mode",
        mode);
  }

  /**
   * A failure the one policy calls a bug (see failures.Failures): answered 500 or dead-lettered as
   * {@code bug}.
   */
  public static void bug(String where) {
    bugs(where).increment();
  }

  private static Counter bugs(String where) {
    return counter(
        BUGS,
        "failures that are bugs, neither a refusal nor an outage, by where they surfaced",
        "where",
        where);
  }

  /** An audit document dropped: the buffer was full, or MongoDB cannot store it. */
  public static void auditDropped() {
    auditDroppedCounter().increment();
  }

  private static Counter auditDroppedCounter() {
    return counter(
        AUDIT_DROPPED, "audit documents dropped: the buffer was full, or MongoDB refused them");
  }

  public static void retried() {
    retries().increment();
  }

  private static Counter tradesProcessed(String source, String outcome) {
    return counter(
        TRADES_PROCESSED,
        "trades applied by the trade store, by source and outcome",
        "source",
        source,
        "outcome",
        outcome);
  }

  private static Counter tradesExpired() {
    return counter(TRADES_EXPIRED, "trades flagged expired past their maturity");
  }

  private static Counter retries() {
    return counter(RETRIES, "operations retried after an outage (store, broker)");
  }

  /**
   * The counter of a name and tags, found once and then kept: counting a trade is a map lookup, not
   * a meter builder and a registry lookup. The cache follows the registry (tests start Vert.x
   * instances of their own).
   */
  private static Counter counter(String name, String description, String... tags) {
    MeterRegistry registry = currentRegistry();
    return COUNTERS.computeIfAbsent(
        key(name, tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  /** The registry, with the caches emptied when it changed. */
  private static MeterRegistry currentRegistry() {
    MeterRegistry registry = MetricsRegistry.get();
    if (registry != countersOf) {
      COUNTERS.clear();
      GAUGES.clear();
      countersOf = registry;
    }
    return registry;
  }

  private static List<String> key(String name, String... tags) {
    List<String> key = new ArrayList<>(tags.length + 1);
    key.add(name);
    key.addAll(Arrays.asList(tags));
    return key;
  }

  /**
   * A gauge over a value the owner samples on its own thread, so the scrape never reads its state
   * directly.
   */
  public static AtomicLong gauge(String name, String description, String... tags) {
    // one value per name and tags: a verticle started again in this JVM samples into the registered
    // one
    MeterRegistry registry = currentRegistry();
    return GAUGES.computeIfAbsent(
        key(name, tags),
        k -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::doubleValue)
              .description(description)
              .tags(tags)
              .register(registry);
          return value;
        });
  }

  /** A gauge read at scrape time; the supplier must be safe to call from any thread. */
  public static void gauge(
      String name, String description, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).description(description).tags(tags).register(MetricsRegistry.get());
  }
}
