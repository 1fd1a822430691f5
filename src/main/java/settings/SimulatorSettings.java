package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The quote simulator's settings. */
public record SimulatorSettings(boolean on, String symbols, long intervalMs) {
  public static SimulatorSettings from(JsonObject config) {
    return new SimulatorSettings(
        isOn(config),
        config.getString(QUOTE_SIMULATOR_SYMBOLS),
        config.getLong(QUOTE_SIMULATOR_INTERVAL_MS));
  }

  /**
   * QUOTE_SIMULATOR as Bootstrap resolved it (true or false). A verticle deployed without Bootstrap
   * still sees the text, where "auto" means off: only Bootstrap knows whether this JVM started the
   * embedded servers.
   */
  static boolean isOn(JsonObject config) {
    return Boolean.parseBoolean(String.valueOf(config.getValue(QUOTE_SIMULATOR)));
  }
}
