package messaging;

import audit.Audit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Kafka-side failures of one consumer as {@code KAFKA_ERROR} events in {@code trade_events} (seed
 * 001): consumer errors and failed offset commits. While the broker is down these repeat on every
 * poll, so at most one event per {@value #EVERY_MS} ms is written, counting the ones folded into
 * it.
 */
final class KafkaErrors {
  private static final long EVERY_MS = 5_000;

  private final Vertx vertx;
  private final String group;
  private final Set<String> topics;
  private long lastAtMs;
  private long folded;

  KafkaErrors(Vertx vertx, String group, Set<String> topics) {
    this.vertx = vertx;
    this.group = group;
    this.topics = topics;
  }

  void failed(String kind, Throwable error) {
    long now = System.currentTimeMillis();
    if (now - lastAtMs < EVERY_MS) {
      folded++;
      return;
    }
    lastAtMs = now;
    Audit.event(
        vertx,
        Audit.KAFKA_ERROR,
        "error",
        new JsonObject()
            .put("kind", kind)
            .put("group", group)
            .put("topics", String.join(",", topics))
            .put("error", error.getClass().getSimpleName())
            .put("message", String.valueOf(error.getMessage()))
            .put("similar_errors_folded_in", folded));
    folded = 0;
  }
}
