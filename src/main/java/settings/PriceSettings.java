package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The price consumer's settings: its Kafka consumer, and the ticks it coalesces per write. */
public record PriceSettings(ConsumerSettings consumer, int batchSize, long flushIntervalMs) {
  public static PriceSettings from(JsonObject config) {
    return new PriceSettings(
        ConsumerSettings.from(config),
        config.getInteger(PRICES_BATCH_SIZE),
        config.getLong(PRICES_FLUSH_INTERVAL_MS));
  }
}
