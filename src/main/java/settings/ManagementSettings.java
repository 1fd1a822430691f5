package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** Where the management server (health and metrics of a JVM without the api role) listens. */
public record ManagementSettings(String host, int port) {
  public static ManagementSettings from(JsonObject config) {
    return new ManagementSettings(config.getString(HTTP_HOST), config.getInteger(MANAGEMENT_PORT));
  }
}
