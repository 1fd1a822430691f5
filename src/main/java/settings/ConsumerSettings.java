package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/**
 * What every Kafka consumer verticle reads: how many records of a partition it works on at once,
 * how often it commits, how long it waits for the verticle that owns a write, and how long
 * in-flight records may finish on stop.
 */
public record ConsumerSettings(
    int maxInFlightPerPartition,
    long commitIntervalMs,
    long requestTimeoutMs,
    long shutdownDrainMs) {
  public static ConsumerSettings from(JsonObject config) {
    return new ConsumerSettings(
        config.getInteger(KAFKA_MAX_IN_FLIGHT_PER_PARTITION),
        config.getLong(KAFKA_COMMIT_INTERVAL_MS),
        config.getLong(REQUEST_TIMEOUT_MS),
        drainMs(config));
  }

  /**
   * How long an edge or a consumer lets work in flight finish on stop: a quarter of the shutdown
   * deadline (the writers, the outbox and the audit flush need the rest).
   */
  static long drainMs(JsonObject config) {
    return config.getLong(SHUTDOWN_DEADLINE_MS) / 4;
  }
}
