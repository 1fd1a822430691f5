package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/**
 * Where the management server listens (health of a JVM without the api role; with
 * METRICS_ON_MANAGEMENT_PORT, every JVM's metrics and docs), and whether it serves the docs.
 */
public record ManagementSettings(String host, int port, boolean docsEnabled) {
  public static ManagementSettings from(JsonObject config) {
    return new ManagementSettings(
        config.getString(HTTP_HOST),
        config.getInteger(MANAGEMENT_PORT),
        config.getBoolean(DOCS_ENABLED) && metricsAndDocsHere(config));
  }

  /**
   * METRICS_ON_MANAGEMENT_PORT: whether /metrics and /docs are on the management port, kept off the
   * public API port; {@code auto} (the default) says yes outside dev mode.
   */
  public static boolean metricsAndDocsHere(JsonObject config) {
    String setting = String.valueOf(config.getValue(METRICS_ON_MANAGEMENT_PORT)).strip();
    return setting.equals("auto") ? !config.getBoolean(DEV_MODE) : Boolean.parseBoolean(setting);
  }
}
