package app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The seeds' environment names map onto our keys (the precedence is in {@link ConfigLoader}'s store
 * order).
 */
@Tag("unit")
class ConfigAliasesTest {
  @Test
  void seedNamesMapOntoOurKeys() {
    JsonObject aliased =
        ConfigAliases.from(
            Map.of(
                "DATABASE_URL", "postgresql+asyncpg://postgres:postgres@127.0.0.1:5433/portfolio",
                "REDIS_URL", "redis://127.0.0.1:6379/0",
                "KAFKA_PORTFOLIO_TOPIC", "pf.events",
                "HISTORY_CACHE_TTL_SECONDS", "120",
                "DEFAULT_ALERT_THRESHOLD", "2500.5"));
    assertEquals(
        new JsonObject()
            .put(ConfigKeys.PG_URI, "postgresql://postgres:postgres@127.0.0.1:5433/portfolio")
            .put(ConfigKeys.REDIS_CONNECTION_STRING, "redis://127.0.0.1:6379/0")
            .put(ConfigKeys.PORTFOLIO_EVENTS_TOPIC, "pf.events")
            .put(ConfigKeys.PORTFOLIO_HISTORY_CACHE_TTL_SECONDS, 120L)
            .put(ConfigKeys.RECORDS_ALERT_THRESHOLD, "2500.5"),
        aliased);
  }

  @Test
  void seed004PartsMakeAUriWithItsDefaultsAndDatabaseUrlWins() {
    assertEquals(
        "postgresql://finpulse:p%40ss%20word@db.local:5433/finpulse",
        ConfigAliases.from(Map.of("POSTGRES_HOST", "db.local", "POSTGRES_PASSWORD", "p@ss word"))
            .getString(ConfigKeys.PG_URI));
    assertEquals(
        "postgresql://u@h:6000/d",
        ConfigAliases.from(
                Map.of(
                    "POSTGRES_HOST",
                    "h",
                    "POSTGRES_PORT",
                    "6000",
                    "POSTGRES_DB",
                    "d",
                    "POSTGRES_USER",
                    "u"))
            .getString(ConfigKeys.PG_URI));
    assertEquals(
        "postgresql://a@b/c",
        ConfigAliases.from(Map.of("DATABASE_URL", "postgresql://a@b/c", "POSTGRES_HOST", "ignored"))
            .getString(ConfigKeys.PG_URI));
    assertEquals(
        new JsonObject(), ConfigAliases.from(Map.of("DATABASE_URL", " ", "UNRELATED", "x")));
  }
}
