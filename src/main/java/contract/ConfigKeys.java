package contract;

/**
 * Every configuration key. Defaults live in conf/config.json; an environment variable of the same
 * name overrides the default, and so does an external file named by CONFIG_FILE.
 */
public final class ConfigKeys {
  public static final String CONFIG_FILE = "CONFIG_FILE";
  public static final String ROLES = "ROLES";
  public static final String CLUSTER_ENABLED = "CLUSTER_ENABLED";
  public static final String CLUSTER_NAME = "CLUSTER_NAME";
  public static final String CLUSTER_DISCOVERY = "CLUSTER_DISCOVERY";
  public static final String CLUSTER_MEMBERS = "CLUSTER_MEMBERS";
  public static final String CLUSTER_PORT = "CLUSTER_PORT";
  public static final String CLUSTER_PORT_COUNT = "CLUSTER_PORT_COUNT";
  public static final String CLUSTER_KUBERNETES_SERVICE_DNS = "CLUSTER_KUBERNETES_SERVICE_DNS";
  public static final String CLUSTER_HEARTBEAT_TIMEOUT_SECONDS = "CLUSTER_HEARTBEAT_TIMEOUT_SECONDS";
  public static final String EVENTBUS_HOST = "EVENTBUS_HOST";
  public static final String EVENTBUS_PORT = "EVENTBUS_PORT";
  public static final String EVENTBUS_PUBLIC_HOST = "EVENTBUS_PUBLIC_HOST";
  /** This node's certificate, its key and the cluster's CA (PEM): the clustered bus is mutual TLS. */
  public static final String EVENTBUS_TLS_CERT_PATH = "EVENTBUS_TLS_CERT_PATH";
  public static final String EVENTBUS_TLS_KEY_PATH = "EVENTBUS_TLS_KEY_PATH";
  public static final String EVENTBUS_TLS_CA_PATH = "EVENTBUS_TLS_CA_PATH";
  public static final String MANAGEMENT_PORT = "MANAGEMENT_PORT";
  public static final String SHUTDOWN_DEADLINE_MS = "SHUTDOWN_DEADLINE_MS";
  public static final String HTTP_HOST = "HTTP_HOST";
  public static final String HTTP_PORT = "HTTP_PORT";
  public static final String HTTP_INSTANCES = "HTTP_INSTANCES";
  public static final String HTTP_BODY_LIMIT_BYTES = "HTTP_BODY_LIMIT_BYTES";
  public static final String HTTP_TLS_CERT_PATH = "HTTP_TLS_CERT_PATH";
  public static final String HTTP_TLS_KEY_PATH = "HTTP_TLS_KEY_PATH";
  public static final String AUTH_ENABLED = "AUTH_ENABLED";
  public static final String AUTH_JWT_ALGORITHM = "AUTH_JWT_ALGORITHM";
  public static final String AUTH_MAX_TOKEN_MINUTES = "AUTH_MAX_TOKEN_MINUTES";
  public static final String AUTH_JWT_SECRET = "AUTH_JWT_SECRET";
  public static final String AUTH_JWT_PUBLIC_KEY = "AUTH_JWT_PUBLIC_KEY";
  public static final String AUTH_JWT_ISSUER = "AUTH_JWT_ISSUER";
  public static final String AUTH_JWT_AUDIENCE = "AUTH_JWT_AUDIENCE";
  public static final String AUTH_READS = "AUTH_READS";
  /** true: dev mode (embedded servers for blank connection keys, made-up keys); never inferred. */
  public static final String DEV_MODE = "DEV_MODE";
  /** The ledger's Ed25519 signing key (PKCS#8, PEM or base64): only the ledger role needs it. */
  public static final String LEDGER_SIGNING_KEY = "LEDGER_SIGNING_KEY";
  /** Its public key (X.509, PEM or base64): the API verifies the chain with it, and auditors keep it. */
  public static final String LEDGER_PUBLIC_KEY = "LEDGER_PUBLIC_KEY";
  public static final String CORS_ALLOWED_ORIGINS = "CORS_ALLOWED_ORIGINS";
  public static final String WS_ALLOWED_ORIGINS = "WS_ALLOWED_ORIGINS";
  public static final String RATE_LIMIT_ENABLED = "RATE_LIMIT_ENABLED";
  public static final String RATE_LIMIT_PER_SECOND = "RATE_LIMIT_PER_SECOND";
  public static final String RATE_LIMIT_BURST = "RATE_LIMIT_BURST";
  public static final String RATE_LIMIT_STORE = "RATE_LIMIT_STORE";
  public static final String RATE_LIMIT_EXPENSIVE_PER_SECOND = "RATE_LIMIT_EXPENSIVE_PER_SECOND";
  public static final String RATE_LIMIT_EXPENSIVE_BURST = "RATE_LIMIT_EXPENSIVE_BURST";
  /** local, open or closed: what the limiter does while Redis, holding the shared buckets, does not answer. */
  public static final String RATE_LIMIT_WHEN_STORE_DOWN = "RATE_LIMIT_WHEN_STORE_DOWN";
  /** The proxies (addresses, CIDR blocks) whose X-Forwarded-For names the client; empty: none. */
  public static final String TRUSTED_PROXIES = "TRUSTED_PROXIES";
  /** auto, true or false: /metrics and /docs on MANAGEMENT_PORT rather than the API port (auto: outside dev mode). */
  public static final String METRICS_ON_MANAGEMENT_PORT = "METRICS_ON_MANAGEMENT_PORT";
  public static final String DOCS_ENABLED = "DOCS_ENABLED";
  public static final String PG_URI = "PG_URI";
  public static final String PG_POOL_SIZE = "PG_POOL_SIZE";
  public static final String PG_SSL_ROOT_CERT = "PG_SSL_ROOT_CERT";
  public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String MONGO_CONNECTION_STRING = "MONGO_CONNECTION_STRING";
  public static final String MONGO_DATABASE = "MONGO_DATABASE";
  public static final String REDIS_CONNECTION_STRING = "REDIS_CONNECTION_STRING";
  public static final String EMBEDDED_DATA_DIR = "EMBEDDED_DATA_DIR";
  public static final String EMBEDDED_KAFKA_PORT = "EMBEDDED_KAFKA_PORT";
  public static final String EMBEDDED_PG_PORT = "EMBEDDED_PG_PORT";
  public static final String EMBEDDED_KEEP_DATA = "EMBEDDED_KEEP_DATA";
  public static final String EMBEDDED_PG_DURABLE = "EMBEDDED_PG_DURABLE";
  public static final String TRADES_ZONE = "TRADES_ZONE";
  public static final String TRADES_PAGE_SIZE_DEFAULT = "TRADES_PAGE_SIZE_DEFAULT";
  public static final String TRADES_PAGE_SIZE_MAX = "TRADES_PAGE_SIZE_MAX";
  public static final String PAGING_MAX_OFFSET = "PAGING_MAX_OFFSET";
  public static final String STATISTICS_CACHE_MS = "STATISTICS_CACHE_MS";
  public static final String REQUEST_TIMEOUT_MS = "REQUEST_TIMEOUT_MS";
  public static final String KAFKA_MAX_IN_FLIGHT_PER_PARTITION = "KAFKA_MAX_IN_FLIGHT_PER_PARTITION";
  public static final String KAFKA_COMMIT_INTERVAL_MS = "KAFKA_COMMIT_INTERVAL_MS";
  public static final String AUDIT_BATCH_SIZE = "AUDIT_BATCH_SIZE";
  public static final String AUDIT_FLUSH_INTERVAL_MS = "AUDIT_FLUSH_INTERVAL_MS";
  public static final String AUDIT_BUFFER_MAX = "AUDIT_BUFFER_MAX";
  public static final String AUDIT_RETENTION_DAYS = "AUDIT_RETENTION_DAYS";
  public static final String AUDIT_RETENTION_CHECK_MS = "AUDIT_RETENTION_CHECK_MS";
  public static final String EXPIRY_INTERVAL_MS = "EXPIRY_INTERVAL_MS";
  public static final String HEALTH_CHECK_TIMEOUT_MS = "HEALTH_CHECK_TIMEOUT_MS";
  /** How long a health report is reused: probes and pollers cost the backends one check per this, at most. */
  public static final String HEALTH_CACHE_MS = "HEALTH_CACHE_MS";
  public static final String OUTBOX_BATCH_SIZE = "OUTBOX_BATCH_SIZE";
  public static final String OUTBOX_POLL_INTERVAL_MS = "OUTBOX_POLL_INTERVAL_MS";
  public static final String OUTBOX_PUBLISH_TIMEOUT_MS = "OUTBOX_PUBLISH_TIMEOUT_MS";
  public static final String OUTBOX_RETENTION_MS = "OUTBOX_RETENTION_MS";
  public static final String RECORDS_ALERT_THRESHOLD = "RECORDS_ALERT_THRESHOLD";
  public static final String RECORDS_PRODUCE_TIMEOUT_MS = "RECORDS_PRODUCE_TIMEOUT_MS";
  public static final String EVENTS_GROUP_ID = "EVENTS_GROUP_ID";
  public static final String RECORDS_GROUP_ID = "RECORDS_GROUP_ID";
  public static final String RETENTION_CHECK_MS = "RETENTION_CHECK_MS";
  public static final String TICKS_RETENTION_HOURS = "TICKS_RETENTION_HOURS";
  public static final String BARS_RETENTION_DAYS = "BARS_RETENTION_DAYS";
  public static final String PROCESSED_EVENTS_RETENTION_DAYS = "PROCESSED_EVENTS_RETENTION_DAYS";
  public static final String IDEMPOTENCY_KEY_RETENTION_HOURS = "IDEMPOTENCY_KEY_RETENTION_HOURS";
  public static final String PUSH_HTTP_PORT = "PUSH_HTTP_PORT";
  public static final String PRICES_BATCH_SIZE = "PRICES_BATCH_SIZE";
  public static final String PRICES_FLUSH_INTERVAL_MS = "PRICES_FLUSH_INTERVAL_MS";
  public static final String QUOTES_MAX_SYMBOLS = "QUOTES_MAX_SYMBOLS";
  public static final String WS_MAX_CONNECTIONS = "WS_MAX_CONNECTIONS";
  public static final String WS_MAX_CONNECTIONS_PER_CLIENT = "WS_MAX_CONNECTIONS_PER_CLIENT";
  public static final String WS_MAX_SYMBOLS = "WS_MAX_SYMBOLS";
  public static final String WS_MAX_MESSAGE_BYTES = "WS_MAX_MESSAGE_BYTES";
  public static final String WS_PING_INTERVAL_MS = "WS_PING_INTERVAL_MS";
  public static final String PORTFOLIO_CACHE_TTL_SECONDS = "PORTFOLIO_CACHE_TTL_SECONDS";
  public static final String LEDGER_CACHE_TTL_SECONDS = "LEDGER_CACHE_TTL_SECONDS";
  public static final String PORTFOLIO_HISTORY_CACHE_TTL_SECONDS = "PORTFOLIO_HISTORY_CACHE_TTL_SECONDS";
  public static final String PORTFOLIO_VALUATION_INTERVAL_MS = "PORTFOLIO_VALUATION_INTERVAL_MS";
  public static final String PORTFOLIO_EVENTS_TOPIC = "PORTFOLIO_EVENTS_TOPIC";
  public static final String RECORDS_MAX_PER_DESTINATION = "RECORDS_MAX_PER_DESTINATION";
  public static final String QUOTE_SIMULATOR = "QUOTE_SIMULATOR";
  public static final String QUOTE_SIMULATOR_SYMBOLS = "QUOTE_SIMULATOR_SYMBOLS";
  public static final String QUOTE_SIMULATOR_INTERVAL_MS = "QUOTE_SIMULATOR_INTERVAL_MS";
  public static final String API_WS_UPSTREAM = "API_WS_UPSTREAM";
  public static final String FINPULSE_PAGE_SIZE_DEFAULT = "FINPULSE_PAGE_SIZE_DEFAULT";
  public static final String FINPULSE_PAGE_SIZE_MAX = "FINPULSE_PAGE_SIZE_MAX";
  public static final String FINPULSE_BATCH_MAX = "FINPULSE_BATCH_MAX";
  public static final String FINPULSE_SURVEILLANCE_THRESHOLD = "FINPULSE_SURVEILLANCE_THRESHOLD";
  public static final String FINPULSE_SURVEILLANCE_WINDOW = "FINPULSE_SURVEILLANCE_WINDOW";
  public static final String FINPULSE_SURVEILLANCE_MIN_HISTORY = "FINPULSE_SURVEILLANCE_MIN_HISTORY";
  public static final String FINPULSE_FRAUD_MIN_HISTORY = "FINPULSE_FRAUD_MIN_HISTORY";
  public static final String FINPULSE_FRAUD_TRAINING_SIZE = "FINPULSE_FRAUD_TRAINING_SIZE";
  public static final String FINPULSE_FRAUD_RETRAIN_MS = "FINPULSE_FRAUD_RETRAIN_MS";
  public static final String FINPULSE_FRAUD_REVIEW_SCORE = "FINPULSE_FRAUD_REVIEW_SCORE";
  public static final String FINPULSE_FRAUD_BLOCK_SCORE = "FINPULSE_FRAUD_BLOCK_SCORE";
  public static final String FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT = "FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT";
  public static final String FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT = "FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT";

  private ConfigKeys() {}
}
