package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/**
 * The outbox publisher's settings: rows per poll, how often it polls, and how long published rows
 * are kept.
 */
public record OutboxSettings(
    int batchSize, long pollIntervalMs, long publishTimeoutMs, long retentionMs) {
  public static OutboxSettings from(JsonObject config) {
    return new OutboxSettings(
        config.getInteger(OUTBOX_BATCH_SIZE),
        config.getLong(OUTBOX_POLL_INTERVAL_MS),
        config.getLong(OUTBOX_PUBLISH_TIMEOUT_MS),
        config.getLong(OUTBOX_RETENTION_MS));
  }
}
