package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/**
 * How long ticks, processed-event ids, bars and idempotency keys are kept, and how often the purge
 * runs.
 */
public record RetentionSettings(
    long checkMs, int tickHours, int processedEventDays, int barDays, int idempotencyKeyHours) {
  public static RetentionSettings from(JsonObject config) {
    return new RetentionSettings(
        config.getLong(RETENTION_CHECK_MS),
        config.getInteger(TICKS_RETENTION_HOURS),
        config.getInteger(PROCESSED_EVENTS_RETENTION_DAYS),
        config.getInteger(BARS_RETENTION_DAYS),
        config.getInteger(IDEMPOTENCY_KEY_RETENTION_HOURS));
  }
}
