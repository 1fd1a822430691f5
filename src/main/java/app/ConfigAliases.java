package app;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The seeds' environment names, read as aliases of our keys, so a seed's {@code .env} works
 * unchanged. They sit below the config file and our own variables: where both are set, ours win.
 */
final class ConfigAliases {
  /** Seed 004's defaults for the parts of a POSTGRES_* connection that are not set. */
  private static final String PG_HOST = "localhost";

  private static final String PG_PORT = "5433";
  private static final String PG_DB = "finpulse";
  private static final String PG_USER = "finpulse";

  private ConfigAliases() {}

  /** Our keys as the seed variables present in {@code env} set them (empty when none is). */
  static JsonObject from(Map<String, String> env) {
    JsonObject aliased = new JsonObject();
    copy(env, "REDIS_URL", aliased, ConfigKeys.REDIS_CONNECTION_STRING);
    copy(env, "KAFKA_PORTFOLIO_TOPIC", aliased, ConfigKeys.PORTFOLIO_EVENTS_TOPIC);
    copy(env, "HISTORY_CACHE_TTL_SECONDS", aliased, ConfigKeys.PORTFOLIO_HISTORY_CACHE_TTL_SECONDS);
    copy(env, "DEFAULT_ALERT_THRESHOLD", aliased, ConfigKeys.RECORDS_ALERT_THRESHOLD);
    String pgUri = databaseUrl(env.get("DATABASE_URL"));
    if (pgUri == null) {
      pgUri = postgresParts(env);
    }
    if (pgUri != null) {
      aliased.put(ConfigKeys.PG_URI, pgUri);
    }
    return aliased;
  }

  private static void copy(
      Map<String, String> env, String seedName, JsonObject into, String ourKey) {
    String value = env.get(seedName);
    if (present(value)) {
      String stripped = value.strip();
      into.put(
          ourKey, stripped.matches("-?[0-9]{1,18}") ? (Object) Long.parseLong(stripped) : stripped);
    }
  }

  /** Seed 003's URL; a SQLAlchemy driver suffix ({@code postgresql+asyncpg://}) is dropped. */
  static String databaseUrl(String url) {
    if (!present(url)) {
      return null;
    }
    return url.strip().replaceFirst("^postgres(ql)?\\+[A-Za-z0-9_]+://", "postgresql://");
  }

  /** Seed 004's POSTGRES_HOST/PORT/DB/USER/PASSWORD, with its defaults for the parts not set. */
  private static String postgresParts(Map<String, String> env) {
    String[] names = {
      "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"
    };
    boolean any = false;
    for (String name : names) {
      any |= present(env.get(name));
    }
    if (!any) {
      return null;
    }
    String password = env.get("POSTGRES_PASSWORD");
    return "postgresql://"
        + encode(or(env.get("POSTGRES_USER"), PG_USER))
        + (present(password) ? ":" + encode(password) : "")
        + "@"
        + or(env.get("POSTGRES_HOST"), PG_HOST)
        + ":"
        + or(env.get("POSTGRES_PORT"), PG_PORT)
        + "/"
        + encode(or(env.get("POSTGRES_DB"), PG_DB));
  }

  private static String or(String value, String fallback) {
    return present(value) ? value.strip() : fallback;
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
