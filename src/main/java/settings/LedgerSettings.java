package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The settlement ledger's settings. */
public record LedgerSettings(long cacheTtlSeconds) {
  public static LedgerSettings from(JsonObject config) {
    return new LedgerSettings(config.getLong(LEDGER_CACHE_TTL_SECONDS));
  }
}
