package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The audit writer's settings: batching, the bound on what it holds for MongoDB, and retention. */
public record AuditSettings(
    int batchSize, int bufferMax, long flushIntervalMs, long retentionCheckMs, int retentionDays) {
  public static AuditSettings from(JsonObject config) {
    return new AuditSettings(
        config.getInteger(AUDIT_BATCH_SIZE),
        config.getInteger(AUDIT_BUFFER_MAX),
        config.getLong(AUDIT_FLUSH_INTERVAL_MS),
        config.getLong(AUDIT_RETENTION_CHECK_MS),
        config.getInteger(AUDIT_RETENTION_DAYS));
  }
}
