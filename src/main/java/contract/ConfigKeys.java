package contract;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting, declared once: its key, the kind of value it takes, its default and a one-line
 * description. An environment variable of the same name overrides the default, and so does an
 * external JSON file named by CONFIG_FILE; {@code settings.SettingsCheck} checks every value by its
 * declaration at startup, and a test checks the table of docs/configuration.md against these
 * declarations. Adding a setting is one line here and the field of the settings record that reads
 * it.
 */
public final class ConfigKeys {
  /** The kind of value a setting takes. */
  public enum Kind {
    TEXT,
    FLAG,
    PORT,
    COUNT,
    NUMBER,
    ONE_OF,
    ZONE,
    PROXIES
  }

  /**
   * One declared setting.
   *
   * @param minimum the least value of a {@link Kind#COUNT}
   * @param choices the values of a {@link Kind#ONE_OF}
   */
  public record Setting(
      String key, Kind kind, Object defaultValue, long minimum, List<String> choices, String doc) {}

  private static final Map<String, Setting> DECLARED = new LinkedHashMap<>();

  public static final String CONFIG_FILE =
      text(
          "CONFIG_FILE",
          "",
          "a JSON file whose settings override the defaults, read before the environment");
  public static final String ROLES =
      text("ROLES", "all", "roles to deploy: all, or a comma list of the roles");
  public static final String CLUSTER_ENABLED =
      flag("CLUSTER_ENABLED", false, "join the clustered event bus (Hazelcast)");
  public static final String CLUSTER_NAME =
      text(
          "CLUSTER_NAME",
          "trade-platform",
          "only members with the same name join each other (one per environment)");
  public static final String CLUSTER_DISCOVERY =
      oneOf(
          "CLUSTER_DISCOVERY",
          "tcp",
          List.of("tcp", "kubernetes"),
          "tcp: the members in CLUSTER_MEMBERS; kubernetes: DNS lookups of"
              + " CLUSTER_KUBERNETES_SERVICE_DNS");
  public static final String CLUSTER_MEMBERS =
      text(
          "CLUSTER_MEMBERS",
          "127.0.0.1",
          "comma list of member hosts (no ports: each is tried on CLUSTER_PORT and the next"
              + " CLUSTER_PORT_COUNT ports)");
  public static final String CLUSTER_PORT = port("CLUSTER_PORT", 5701, "Hazelcast membership port");
  public static final String CLUSTER_PORT_COUNT =
      count(
          "CLUSTER_PORT_COUNT",
          1,
          20,
          "how many ports from CLUSTER_PORT on Hazelcast tries, so several JVMs share a host");
  public static final String CLUSTER_KUBERNETES_SERVICE_DNS =
      text(
          "CLUSTER_KUBERNETES_SERVICE_DNS",
          "",
          "the headless Service's DNS name, e.g."
              + " trade-platform-hazelcast.trading.svc.cluster.local");
  public static final String CLUSTER_HEARTBEAT_TIMEOUT_SECONDS =
      count(
          "CLUSTER_HEARTBEAT_TIMEOUT_SECONDS",
          1,
          10,
          "a member silent this long is dropped (Hazelcast's default is 60 s): its bus consumers"
              + " and work move to the…");
  public static final String EVENTBUS_HOST =
      text("EVENTBUS_HOST", "127.0.0.1", "address the bus (and Hazelcast) binds");
  public static final String EVENTBUS_PORT =
      port("EVENTBUS_PORT", 0, "the bus's port; 0 = any free port");
  public static final String EVENTBUS_PUBLIC_HOST =
      text("EVENTBUS_PUBLIC_HOST", "", "the address other nodes reach this one at");
  public static final String EVENTBUS_TLS_CERT_PATH =
      text(
          "EVENTBUS_TLS_CERT_PATH",
          "",
          "this node's certificate (PEM): the clustered bus is mutual TLS");
  public static final String EVENTBUS_TLS_KEY_PATH =
      text("EVENTBUS_TLS_KEY_PATH", "", "this node's private key (PEM)");
  public static final String EVENTBUS_TLS_CA_PATH =
      text(
          "EVENTBUS_TLS_CA_PATH",
          "",
          "the cluster's CA (PEM): only nodes with a certificate it signed join the bus");
  public static final String MANAGEMENT_PORT =
      port(
          "MANAGEMENT_PORT",
          9090,
          "health of every JVM, and with METRICS_ON_MANAGEMENT_PORT its metrics and the API docs");
  public static final String SHUTDOWN_DEADLINE_MS =
      count(
          "SHUTDOWN_DEADLINE_MS",
          1,
          20000,
          "longest ordered shutdown on SIGTERM (see Readiness and shutdown)");
  public static final String HTTP_HOST = text("HTTP_HOST", "127.0.0.1", "HTTP listen address");
  public static final String HTTP_PORT =
      port(
          "HTTP_PORT",
          8080,
          "HTTP listen port; 0 = any free port, named in the \"Service ready\" log line");
  public static final String HTTP_INSTANCES =
      count("HTTP_INSTANCES", 1, 2, "HTTP verticle instances (one per event loop is a good value)");
  public static final String HTTP_BODY_LIMIT_BYTES =
      count("HTTP_BODY_LIMIT_BYTES", 1, 65536, "larger request bodies get 413");
  public static final String HTTP_TLS_CERT_PATH =
      text(
          "HTTP_TLS_CERT_PATH",
          "",
          "PEM certificate and key: every HTTP server of the node (API, WebSocket, management)"
              + " serves HTTPS/WSS");
  public static final String HTTP_TLS_KEY_PATH =
      text("HTTP_TLS_KEY_PATH", "", "the PEM key of HTTP_TLS_CERT_PATH");
  public static final String AUTH_ENABLED =
      flag("AUTH_ENABLED", true, "JWT bearer auth (see Security)");
  public static final String AUTH_JWT_ALGORITHM =
      oneOf(
          "AUTH_JWT_ALGORITHM",
          "HS256",
          List.of(
              "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
              "EdDSA"),
          "the algorithm of the tokens: HS* with AUTH_JWT_SECRET, RS*, ES* or EdDSA with"
              + " AUTH_JWT_PUBLIC_KEY");
  public static final String AUTH_MAX_TOKEN_MINUTES =
      count("AUTH_MAX_TOKEN_MINUTES", 1, 720, "a token must carry exp, at most this far ahead");
  public static final String AUTH_JWT_SECRET =
      text(
          "AUTH_JWT_SECRET",
          "",
          "HMAC secret tokens are signed with, at least 32 bytes (placeholders such as CHANGE-ME…"
              + " are refused outside…");
  public static final String AUTH_JWT_PUBLIC_KEY =
      text(
          "AUTH_JWT_PUBLIC_KEY",
          "",
          "an identity provider's public key (PEM) and its algorithm (RS256, ES256, EdDSA), instead"
              + " of a secret");
  public static final String AUTH_JWT_ISSUER =
      text("AUTH_JWT_ISSUER", "", "when set, tokens must name this issuer (iss) / audience (aud)");
  public static final String AUTH_JWT_AUDIENCE =
      text(
          "AUTH_JWT_AUDIENCE", "", "when set, tokens must name this issuer (iss) / audience (aud)");
  public static final String AUTH_READS =
      oneOf(
          "AUTH_READS",
          "auto",
          List.of("auto", "open", "token"),
          "token: reads (GET) and the WebSocket need a valid token too (health, metrics, docs and"
              + " the dashboard page…");
  public static final String DEV_MODE =
      flag(
          "DEV_MODE",
          false,
          "true (what ./deploy/dev.sh and the tests set): embedded servers for blank connection"
              + " keys, a made-up token…");
  public static final String LEDGER_SIGNING_KEY =
      text("LEDGER_SIGNING_KEY", "", "the ledger's Ed25519 private key (PKCS#8, PEM or base64");
  public static final String LEDGER_PUBLIC_KEY =
      text("LEDGER_PUBLIC_KEY", "", "its public key (X.509, PEM or base64");
  public static final String CORS_ALLOWED_ORIGINS =
      text(
          "CORS_ALLOWED_ORIGINS",
          "",
          "comma list of origins browser apps may call from (blank: same origin only)");
  public static final String WS_ALLOWED_ORIGINS =
      text(
          "WS_ALLOWED_ORIGINS",
          "",
          "comma list of origins (scheme://host[:port]) allowed to open /ws/quotes");
  public static final String RATE_LIMIT_ENABLED =
      flag("RATE_LIMIT_ENABLED", true, "per-client token bucket");
  public static final String RATE_LIMIT_PER_SECOND =
      count(
          "RATE_LIMIT_PER_SECOND",
          1,
          1000,
          "refill rate and size of each client's bucket (client = the token's subject, else its"
              + " address)");
  public static final String RATE_LIMIT_BURST =
      count(
          "RATE_LIMIT_BURST",
          1,
          2000,
          "refill rate and size of each client's bucket (client = the token's subject, else its"
              + " address)");
  public static final String RATE_LIMIT_STORE =
      oneOf(
          "RATE_LIMIT_STORE",
          "auto",
          List.of("auto", "local", "redis"),
          "local (Bucket4j, per JVM), redis (shared by every node), auto = redis when clustered");
  public static final String RATE_LIMIT_EXPENSIVE_PER_SECOND =
      count(
          "RATE_LIMIT_EXPENSIVE_PER_SECOND",
          1,
          5,
          "the smaller bucket of the operations marked x-rate-limit: expensive (chain verification,"
              + " record…");
  public static final String RATE_LIMIT_EXPENSIVE_BURST =
      count(
          "RATE_LIMIT_EXPENSIVE_BURST",
          1,
          20,
          "the smaller bucket of the operations marked x-rate-limit: expensive (chain verification,"
              + " record…");
  public static final String RATE_LIMIT_WHEN_STORE_DOWN =
      oneOf(
          "RATE_LIMIT_WHEN_STORE_DOWN",
          "local",
          List.of("local", "open", "closed"),
          "while Redis does not answer: local counts in this JVM's buckets (one limit per node),"
              + " open lets all…");
  public static final String TRUSTED_PROXIES =
      proxies(
          "TRUSTED_PROXIES",
          "",
          "addresses or CIDR blocks of the proxies (ingress, load balancer) whose X-Forwarded-For"
              + " names the client");
  public static final String METRICS_ON_MANAGEMENT_PORT =
      oneOf(
          "METRICS_ON_MANAGEMENT_PORT",
          "auto",
          List.of("auto", "true", "false"),
          "/metrics and /docs on MANAGEMENT_PORT rather than the API port (there they answer 404)");
  public static final String DOCS_ENABLED =
      flag("DOCS_ENABLED", true, "Swagger UI at /docs (with its /openapi.yaml)");
  public static final String PG_URI =
      text("PG_URI", "", "e.g. postgresql://user:pass@db:5432/trades");
  public static final String PG_POOL_SIZE =
      count("PG_POOL_SIZE", 1, 8, "connections per verticle pool");
  public static final String PG_SSL_ROOT_CERT =
      text(
          "PG_SSL_ROOT_CERT",
          "",
          "CA certificate (PEM) for sslmode=verify-ca/verify-full in PG_URI, used by the pool and"
              + " the migrations");
  public static final String KAFKA_BOOTSTRAP_SERVERS =
      text("KAFKA_BOOTSTRAP_SERVERS", "", "the same name");
  public static final String MONGO_CONNECTION_STRING =
      text("MONGO_CONNECTION_STRING", "", "e.g. mongodb://mongo:27017");
  public static final String MONGO_DATABASE =
      text("MONGO_DATABASE", "tradestore", "audit database");
  public static final String REDIS_CONNECTION_STRING =
      text("REDIS_CONNECTION_STRING", "", "e.g. redis://redis:6379");
  public static final String EMBEDDED_DATA_DIR =
      text("EMBEDDED_DATA_DIR", "target/embedded-dev", "files of the embedded servers");
  public static final String EMBEDDED_KAFKA_PORT =
      port(
          "EMBEDDED_KAFKA_PORT",
          9092,
          "embedded Kafka port, so outside producers can publish (0 = any)");
  public static final String EMBEDDED_PG_PORT =
      port("EMBEDDED_PG_PORT", 0, "embedded PostgreSQL port (0 = any free port");
  public static final String EMBEDDED_KEEP_DATA =
      flag("EMBEDDED_KEEP_DATA", false, "keep embedded PostgreSQL/Kafka data between runs");
  public static final String EMBEDDED_PG_DURABLE =
      flag(
          "EMBEDDED_PG_DURABLE", false, "embedded PostgreSQL with fsync on (the benchmark sets it");
  public static final String TRADES_ZONE =
      zone("TRADES_ZONE", "UTC", "zone whose date is \"today\" for the maturity rule");
  public static final String TRADES_PAGE_SIZE_DEFAULT =
      count("TRADES_PAGE_SIZE_DEFAULT", 1, 50, "paging of trade listings");
  public static final String TRADES_PAGE_SIZE_MAX =
      count("TRADES_PAGE_SIZE_MAX", 1, 500, "paging of trade listings");
  public static final String PAGING_MAX_OFFSET =
      count(
          "PAGING_MAX_OFFSET",
          0,
          10000,
          "deepest row a page/size request may start at (trades, trades by book, records"
              + " aggregations)");
  public static final String STATISTICS_CACHE_MS =
      count(
          "STATISTICS_CACHE_MS",
          0,
          1000,
          "how long each API instance reuses one read of /api/v1/statistics (0 = read the counters"
              + " every call)");
  public static final String REQUEST_TIMEOUT_MS =
      count(
          "REQUEST_TIMEOUT_MS",
          1,
          10000,
          "event-bus request timeout behind an HTTP request (then 503)");
  public static final String KAFKA_MAX_IN_FLIGHT_PER_PARTITION =
      count(
          "KAFKA_MAX_IN_FLIGHT_PER_PARTITION",
          1,
          256,
          "records in flight before a partition is paused (resumes at half)");
  public static final String KAFKA_COMMIT_INTERVAL_MS =
      count("KAFKA_COMMIT_INTERVAL_MS", 1, 200, "how often completed offsets are committed");
  public static final String AUDIT_BATCH_SIZE =
      count(
          "AUDIT_BATCH_SIZE",
          1,
          200,
          "audit inserts are group-committed, waiting at most that long for a full batch");
  public static final String AUDIT_FLUSH_INTERVAL_MS =
      count(
          "AUDIT_FLUSH_INTERVAL_MS",
          1,
          200,
          "audit inserts are group-committed, waiting at most that long for a full batch");
  public static final String AUDIT_BUFFER_MAX =
      count(
          "AUDIT_BUFFER_MAX",
          1,
          50000,
          "audit documents held while MongoDB is slow or down (the batch being written included)");
  public static final String AUDIT_RETENTION_DAYS =
      count("AUDIT_RETENTION_DAYS", 1, 90, "audit retention and how often it is enforced");
  public static final String AUDIT_RETENTION_CHECK_MS =
      count("AUDIT_RETENTION_CHECK_MS", 1, 3600000, "audit retention and how often it is enforced");
  public static final String EXPIRY_INTERVAL_MS =
      count(
          "EXPIRY_INTERVAL_MS",
          1,
          60000,
          "expiry timer interval (one run per interval across the cluster)");
  public static final String HEALTH_CHECK_TIMEOUT_MS =
      count("HEALTH_CHECK_TIMEOUT_MS", 1, 2000, "timeout of each health probe");
  public static final String HEALTH_CACHE_MS =
      count(
          "HEALTH_CACHE_MS",
          0,
          1000,
          "how long one health report answers every request: probes cost the backends one check per"
              + " interval");
  public static final String OUTBOX_BATCH_SIZE =
      count(
          "OUTBOX_BATCH_SIZE",
          1,
          500,
          "dispatcher batch size, and the safety-net poll (it is woken after each commit)");
  public static final String OUTBOX_POLL_INTERVAL_MS =
      count(
          "OUTBOX_POLL_INTERVAL_MS",
          1,
          1000,
          "the dispatcher's safety-net poll; it is woken after each commit, so this bounds only a"
              + " missed wake-up");
  public static final String OUTBOX_PUBLISH_TIMEOUT_MS =
      count(
          "OUTBOX_PUBLISH_TIMEOUT_MS",
          1,
          30000,
          "longest wait for Kafka's acknowledgements of one batch before it is abandoned and rolled"
              + " back (bounds how…");
  public static final String OUTBOX_RETENTION_MS =
      count(
          "OUTBOX_RETENTION_MS", 1, 86400000, "published outbox rows are deleted after this long");
  public static final String RECORDS_ALERT_THRESHOLD =
      number(
          "RECORDS_ALERT_THRESHOLD",
          1000,
          "a record whose value exceeds it also produces an alert");
  public static final String RECORDS_PRODUCE_TIMEOUT_MS =
      count(
          "RECORDS_PRODUCE_TIMEOUT_MS",
          1,
          5000,
          "how long POST /records waits for Kafka's acknowledgement before 503");
  public static final String EVENTS_GROUP_ID =
      text("EVENTS_GROUP_ID", "persistence-service", "consumer groups of the ingest roles");
  public static final String RECORDS_GROUP_ID =
      text("RECORDS_GROUP_ID", "records-ingestion", "consumer groups of the ingest roles");
  public static final String RETENTION_CHECK_MS =
      count("RETENTION_CHECK_MS", 1, 3600000, "how often the retention role purges old rows");
  public static final String TICKS_RETENTION_HOURS =
      count(
          "TICKS_RETENTION_HOURS",
          1,
          168,
          "prices_raw and quote_tick rows older than this are deleted");
  public static final String BARS_RETENTION_DAYS =
      count(
          "BARS_RETENTION_DAYS",
          1,
          365,
          "quote_ohlc_1min and quote_ohlc_5min rows older than this are deleted");
  public static final String PROCESSED_EVENTS_RETENTION_DAYS =
      count("PROCESSED_EVENTS_RETENTION_DAYS", 1, 30, "processed_events kept this long");
  public static final String IDEMPOTENCY_KEY_RETENTION_HOURS =
      count(
          "IDEMPOTENCY_KEY_RETENTION_HOURS",
          1,
          24,
          "how long an Idempotency-Key and its reply are kept");
  public static final String PUSH_HTTP_PORT =
      port("PUSH_HTTP_PORT", 8081, "port of the /ws/quotes WebSocket server (role push)");
  public static final String PRICES_BATCH_SIZE =
      count("PRICES_BATCH_SIZE", 1, 500, "most ticks per batch");
  public static final String PRICES_FLUSH_INTERVAL_MS =
      count("PRICES_FLUSH_INTERVAL_MS", 0, 0, "most ticks per batch");
  public static final String QUOTES_MAX_SYMBOLS =
      count("QUOTES_MAX_SYMBOLS", 1, 50, "symbols per GET /api/v1/quotes request");
  public static final String WS_MAX_CONNECTIONS =
      count(
          "WS_MAX_CONNECTIONS",
          1,
          1000,
          "WebSocket limits (past the connections, 503 at the handshake)");
  public static final String WS_MAX_CONNECTIONS_PER_CLIENT =
      count(
          "WS_MAX_CONNECTIONS_PER_CLIENT",
          1,
          100,
          "WebSockets one client (token subject, else address) may hold on a push server");
  public static final String WS_MAX_SYMBOLS =
      count(
          "WS_MAX_SYMBOLS",
          1,
          100,
          "WebSocket limits (past the connections, 503 at the handshake)");
  public static final String WS_MAX_MESSAGE_BYTES =
      count(
          "WS_MAX_MESSAGE_BYTES",
          1,
          8192,
          "WebSocket limits (past the connections, 503 at the handshake)");
  public static final String WS_PING_INTERVAL_MS =
      count("WS_PING_INTERVAL_MS", 1, 15000, "heartbeat");
  public static final String PORTFOLIO_CACHE_TTL_SECONDS =
      count(
          "PORTFOLIO_CACHE_TTL_SECONDS",
          1,
          300,
          "Redis TTL of the cached portfolio (portfolio:aggregate:{id})");
  public static final String LEDGER_CACHE_TTL_SECONDS =
      count(
          "LEDGER_CACHE_TTL_SECONDS",
          1,
          300,
          "Redis TTL of the settlement ledger's cached reads (blockchain:*)");
  public static final String PORTFOLIO_HISTORY_CACHE_TTL_SECONDS =
      count(
          "PORTFOLIO_HISTORY_CACHE_TTL_SECONDS",
          1,
          300,
          "Redis TTL of a cached history range (portfolio:history:{id}:{days}d)");
  public static final String PORTFOLIO_VALUATION_INTERVAL_MS =
      count(
          "PORTFOLIO_VALUATION_INTERVAL_MS",
          1,
          60000,
          "how often the seeded portfolios are valued into portfolio_history (one point per"
              + " interval across the cluster)");
  public static final String PORTFOLIO_EVENTS_TOPIC =
      text("PORTFOLIO_EVENTS_TOPIC", "portfolio.events", "topic of the portfolio.seeded events");
  public static final String RECORDS_MAX_PER_DESTINATION =
      count(
          "RECORDS_MAX_PER_DESTINATION", 0, 0, "records per destination in /records/aggregations");
  public static final String QUOTE_SIMULATOR =
      oneOf(
          "QUOTE_SIMULATOR",
          "auto",
          List.of("auto", "true", "false"),
          "random-walk quotes to raw_prices: auto = on only when this JVM started the embedded"
              + " Kafka broker (dev…");
  public static final String QUOTE_SIMULATOR_SYMBOLS =
      text(
          "QUOTE_SIMULATOR_SYMBOLS",
          "AAPL,MSFT,NVDA,AMZN,GOOGL,META,TSLA,JPM",
          "the simulated symbols");
  public static final String QUOTE_SIMULATOR_INTERVAL_MS =
      count(
          "QUOTE_SIMULATOR_INTERVAL_MS",
          1,
          500,
          "one round of ticks (most symbols move each round) per interval");
  public static final String API_WS_UPSTREAM =
      text(
          "API_WS_UPSTREAM",
          "",
          "host:port of the push server that /ws/quotes on the API port relays to");
  public static final String FINPULSE_PAGE_SIZE_DEFAULT =
      count("FINPULSE_PAGE_SIZE_DEFAULT", 1, 50, "paging of the FinPulse resource listings");
  public static final String FINPULSE_PAGE_SIZE_MAX =
      count("FINPULSE_PAGE_SIZE_MAX", 1, 500, "paging of the FinPulse resource listings");
  public static final String FINPULSE_BATCH_MAX =
      count(
          "FINPULSE_BATCH_MAX",
          1,
          1000,
          "most items in one POST /api/v1/{resource}/batch (and portfolios in one VaR"
              + " compute-batch)");
  public static final String FINPULSE_SURVEILLANCE_THRESHOLD =
      number(
          "FINPULSE_SURVEILLANCE_THRESHOLD",
          3.0,
          "|z| from which an order or trade execution raises surveillance_alert");
  public static final String FINPULSE_SURVEILLANCE_WINDOW =
      count(
          "FINPULSE_SURVEILLANCE_WINDOW",
          1,
          100,
          "newest notionals of the instrument scored against");
  public static final String FINPULSE_SURVEILLANCE_MIN_HISTORY =
      count(
          "FINPULSE_SURVEILLANCE_MIN_HISTORY",
          0,
          5,
          "newest notionals of the instrument scored against");
  public static final String FINPULSE_FRAUD_MIN_HISTORY =
      count(
          "FINPULSE_FRAUD_MIN_HISTORY",
          0,
          50,
          "stored payments needed to train the isolation forest");
  public static final String FINPULSE_FRAUD_TRAINING_SIZE =
      count(
          "FINPULSE_FRAUD_TRAINING_SIZE",
          1,
          5000,
          "newest payments the forest trains on, and how often it retrains");
  public static final String FINPULSE_FRAUD_RETRAIN_MS =
      count(
          "FINPULSE_FRAUD_RETRAIN_MS",
          1,
          300000,
          "newest payments the forest trains on, and how often it retrains");
  public static final String FINPULSE_FRAUD_REVIEW_SCORE =
      number(
          "FINPULSE_FRAUD_REVIEW_SCORE",
          0.6,
          "anomaly scores from which a payment is review / block");
  public static final String FINPULSE_FRAUD_BLOCK_SCORE =
      number(
          "FINPULSE_FRAUD_BLOCK_SCORE",
          0.7,
          "anomaly scores from which a payment is review / block");
  public static final String FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT =
      number(
          "FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT",
          10000,
          "the fallback rule's amounts for review / block");
  public static final String FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT =
      number(
          "FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT",
          100000,
          "the fallback rule's amounts for review / block");

  private ConfigKeys() {}

  /** Every setting, in declaration order. */
  public static Collection<Setting> declared() {
    return Collections.unmodifiableCollection(DECLARED.values());
  }

  /** Every setting's default, by key. */
  public static Map<String, Object> defaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    DECLARED.values().forEach(setting -> defaults.put(setting.key(), setting.defaultValue()));
    return defaults;
  }

  private static String declare(
      String key, Kind kind, Object defaultValue, long minimum, List<String> choices, String doc) {
    if (DECLARED.put(key, new Setting(key, kind, defaultValue, minimum, choices, doc)) != null) {
      throw new IllegalStateException(key + " is declared twice");
    }
    return key;
  }

  private static String text(String key, String defaultValue, String doc) {
    return declare(key, Kind.TEXT, defaultValue, 0, List.of(), doc);
  }

  private static String flag(String key, boolean defaultValue, String doc) {
    return declare(key, Kind.FLAG, defaultValue, 0, List.of(), doc);
  }

  private static String port(String key, int defaultValue, String doc) {
    return declare(key, Kind.PORT, defaultValue, 0, List.of(), doc);
  }

  /** A whole number of at least {@code minimum}. */
  private static String count(String key, long minimum, long defaultValue, String doc) {
    Object value =
        defaultValue <= Integer.MAX_VALUE ? (Object) (int) defaultValue : (Object) defaultValue;
    return declare(key, Kind.COUNT, value, minimum, List.of(), doc);
  }

  private static String number(String key, Number defaultValue, String doc) {
    return declare(key, Kind.NUMBER, defaultValue, 0, List.of(), doc);
  }

  private static String oneOf(String key, String defaultValue, List<String> choices, String doc) {
    return declare(key, Kind.ONE_OF, defaultValue, 0, choices, doc);
  }

  private static String zone(String key, String defaultValue, String doc) {
    return declare(key, Kind.ZONE, defaultValue, 0, List.of(), doc);
  }

  private static String proxies(String key, String defaultValue, String doc) {
    return declare(key, Kind.PROXIES, defaultValue, 0, List.of(), doc);
  }
}
