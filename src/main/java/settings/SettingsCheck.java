package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import security.ClientAddresses;

/**
 * Every setting's type and range, checked once at startup before anything starts: a bad value stops the service
 * with a message that names the key and says what it takes, instead of failing later, somewhere, as a class cast
 * or a negative timer. Values that came in as text (environment variables) are converted to their type. The
 * defaults are in conf/config.json only; a key without a rule here is a programming error that a test catches.
 */
public final class SettingsCheck {
  /** How one setting is read: its kind of value and what values it takes. */
  private record Rule(String takes, Function<Object, Object> convert) {}

  private static final Map<String, Rule> RULES = new LinkedHashMap<>();

  static {
    text(CONFIG_FILE, ROLES, CLUSTER_NAME, CLUSTER_MEMBERS, CLUSTER_KUBERNETES_SERVICE_DNS, EVENTBUS_HOST,
        EVENTBUS_PUBLIC_HOST, EVENTBUS_TLS_CERT_PATH, EVENTBUS_TLS_KEY_PATH, EVENTBUS_TLS_CA_PATH, HTTP_HOST, HTTP_TLS_CERT_PATH, HTTP_TLS_KEY_PATH, AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY,
        LEDGER_SIGNING_KEY, LEDGER_PUBLIC_KEY,
        AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE, CORS_ALLOWED_ORIGINS, WS_ALLOWED_ORIGINS, PG_URI, PG_SSL_ROOT_CERT,
        KAFKA_BOOTSTRAP_SERVERS, MONGO_CONNECTION_STRING, MONGO_DATABASE, REDIS_CONNECTION_STRING, EMBEDDED_DATA_DIR,
        EVENTS_GROUP_ID, RECORDS_GROUP_ID, PORTFOLIO_EVENTS_TOPIC, QUOTE_SIMULATOR_SYMBOLS, API_WS_UPSTREAM);
    flag(DEV_MODE, CLUSTER_ENABLED, AUTH_ENABLED, RATE_LIMIT_ENABLED, EMBEDDED_KEEP_DATA, DOCS_ENABLED,
        EMBEDDED_PG_DURABLE);
    port(CLUSTER_PORT, EVENTBUS_PORT, MANAGEMENT_PORT, HTTP_PORT, EMBEDDED_KAFKA_PORT, EMBEDDED_PG_PORT, PUSH_HTTP_PORT);
    atLeast(1, AUTH_MAX_TOKEN_MINUTES, CLUSTER_PORT_COUNT, CLUSTER_HEARTBEAT_TIMEOUT_SECONDS, SHUTDOWN_DEADLINE_MS, HTTP_INSTANCES,
        HTTP_BODY_LIMIT_BYTES, RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST, RATE_LIMIT_EXPENSIVE_PER_SECOND,
        RATE_LIMIT_EXPENSIVE_BURST, WS_MAX_CONNECTIONS_PER_CLIENT, PG_POOL_SIZE, TRADES_PAGE_SIZE_DEFAULT,
        TRADES_PAGE_SIZE_MAX, REQUEST_TIMEOUT_MS, KAFKA_MAX_IN_FLIGHT_PER_PARTITION, KAFKA_COMMIT_INTERVAL_MS,
        AUDIT_BATCH_SIZE, AUDIT_FLUSH_INTERVAL_MS, AUDIT_BUFFER_MAX, AUDIT_RETENTION_DAYS, AUDIT_RETENTION_CHECK_MS,
        EXPIRY_INTERVAL_MS, HEALTH_CHECK_TIMEOUT_MS, OUTBOX_BATCH_SIZE, OUTBOX_POLL_INTERVAL_MS,
        OUTBOX_PUBLISH_TIMEOUT_MS, OUTBOX_RETENTION_MS, RECORDS_PRODUCE_TIMEOUT_MS, RETENTION_CHECK_MS,
        TICKS_RETENTION_HOURS, PROCESSED_EVENTS_RETENTION_DAYS, IDEMPOTENCY_KEY_RETENTION_HOURS, PRICES_BATCH_SIZE, QUOTES_MAX_SYMBOLS,
        WS_MAX_CONNECTIONS, WS_MAX_SYMBOLS, WS_MAX_MESSAGE_BYTES, WS_PING_INTERVAL_MS, PORTFOLIO_CACHE_TTL_SECONDS,
        LEDGER_CACHE_TTL_SECONDS, PORTFOLIO_HISTORY_CACHE_TTL_SECONDS, PORTFOLIO_VALUATION_INTERVAL_MS,
        QUOTE_SIMULATOR_INTERVAL_MS, BARS_RETENTION_DAYS, FINPULSE_PAGE_SIZE_DEFAULT, FINPULSE_PAGE_SIZE_MAX,
        FINPULSE_BATCH_MAX, FINPULSE_SURVEILLANCE_WINDOW, FINPULSE_FRAUD_TRAINING_SIZE, FINPULSE_FRAUD_RETRAIN_MS);
    atLeast(0, PAGING_MAX_OFFSET, STATISTICS_CACHE_MS, HEALTH_CACHE_MS, PRICES_FLUSH_INTERVAL_MS, RECORDS_MAX_PER_DESTINATION,
        FINPULSE_SURVEILLANCE_MIN_HISTORY, FINPULSE_FRAUD_MIN_HISTORY);
    number(RECORDS_ALERT_THRESHOLD, FINPULSE_SURVEILLANCE_THRESHOLD, FINPULSE_FRAUD_REVIEW_SCORE, FINPULSE_FRAUD_BLOCK_SCORE,
        FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT, FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT);
    oneOf(CLUSTER_DISCOVERY, "tcp", "kubernetes");
    oneOf(AUTH_JWT_ALGORITHM, "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
        "EdDSA");
    oneOf(AUTH_READS, "auto", "open", "token");
    oneOf(METRICS_ON_MANAGEMENT_PORT, "auto", "true", "false");
    oneOf(RATE_LIMIT_STORE, "auto", "local", "redis");
    oneOf(RATE_LIMIT_WHEN_STORE_DOWN, "local", "open", "closed");
    oneOf(QUOTE_SIMULATOR, "auto", "true", "false");
    RULES.put(TRADES_ZONE, new Rule("a time zone id such as UTC or Europe/Stockholm", SettingsCheck::zone));
    RULES.put(TRUSTED_PROXIES, new Rule("IP addresses or CIDR blocks, comma-separated", SettingsCheck::proxies));
  }

  private SettingsCheck() {}

  /**
   * The config with every known setting checked and converted to its type; unknown keys pass unchanged.
   * @throws IllegalArgumentException naming the first bad key and what it takes
   */
  public static JsonObject checked(JsonObject config) {
    JsonObject checked = config.copy();
    RULES.forEach((key, rule) -> {
      Object value = config.getValue(key);
      if (value == null) {
        if (!key.equals(CONFIG_FILE)) {
          throw new IllegalArgumentException("setting " + key + " is missing; its default belongs in conf/config.json");
        }
        return;
      }
      try {
        checked.put(key, rule.convert().apply(value));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("setting " + key + " takes " + rule.takes() + ", not '" + value + "'");
      }
    });
    return checked;
  }

  /** The keys with a rule: every documented setting. */
  public static Set<String> keys() {
    return RULES.keySet();
  }

  private static void text(String... keys) {
    for (String key : keys) {
      RULES.put(key, new Rule("text", value -> {
        if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
          throw new IllegalArgumentException();
        }
        return value.toString();
      }));
    }
  }

  private static void flag(String... keys) {
    for (String key : keys) {
      RULES.put(key, new Rule("true or false", value -> {
        if (value instanceof Boolean b) {
          return b;
        }
        return switch (value.toString().strip().toLowerCase()) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new IllegalArgumentException();
        };
      }));
    }
  }

  private static void port(String... keys) {
    for (String key : keys) {
      RULES.put(key, new Rule("a port from 0 to 65535 (0: any free port)", value -> inRange(value, 0, 65_535)));
    }
  }

  private static void atLeast(long minimum, String... keys) {
    for (String key : keys) {
      RULES.put(key, new Rule("a whole number of at least " + minimum, value -> inRange(value, minimum, Long.MAX_VALUE)));
    }
  }

  private static void number(String... keys) {
    for (String key : keys) {
      RULES.put(key, new Rule("a number", value -> value instanceof Number n ? n : Double.parseDouble(value.toString())));
    }
  }

  private static void oneOf(String key, String... allowed) {
    List<String> values = List.of(allowed);
    RULES.put(key, new Rule("one of " + String.join(", ", values), value -> {
      if (!values.contains(value.toString().strip())) {
        throw new IllegalArgumentException();
      }
      return value.toString().strip();
    }));
  }

  /** Whole numbers keep the JSON type the readers expect: an int where it fits, else a long. */
  private static Object inRange(Object value, long minimum, long maximum) {
    long number = value instanceof Number n && !(value instanceof Double || value instanceof Float)
        ? n.longValue() : Long.parseLong(value.toString().strip());
    if (number < minimum || number > maximum) {
      throw new IllegalArgumentException();
    }
    return number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE ? (Object) (int) number : (Object) number;
  }

  private static Object proxies(Object value) {
    ClientAddresses.trusting(value.toString());
    return value.toString().strip();
  }

  private static Object zone(Object value) {
    try {
      ZoneId.of(value.toString().strip());
      return value.toString().strip();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
