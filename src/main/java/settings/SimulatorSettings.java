package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The quote simulator's settings; {@code on} is QUOTE_SIMULATOR after Bootstrap resolved "auto". */
public record SimulatorSettings(boolean on, String symbols, long intervalMs) {
  public static SimulatorSettings from(JsonObject config) {
    return new SimulatorSettings(config.getBoolean(QUOTE_SIMULATOR), config.getString(QUOTE_SIMULATOR_SYMBOLS),
        config.getLong(QUOTE_SIMULATOR_INTERVAL_MS));
  }
}
