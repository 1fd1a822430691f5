package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The expiry timer's settings. */
public record ExpirySettings(long intervalMs) {
  public static ExpirySettings from(JsonObject config) {
    return new ExpirySettings(config.getLong(EXPIRY_INTERVAL_MS));
  }
}
