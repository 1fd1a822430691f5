package audit;

import codec.AuditBatch;
import contract.Addresses;
import contract.Headers;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Builds audit documents and hands them to the audit writer. Fire-and-forget by design: MongoDB
 * being slow or down must never slow or fail a trade write.
 */
public final class Audit {
  public static final String AUDIT_LOGS = "audit_logs";
  public static final String TRADE_EVENTS = "trade_events";

  /**
   * trade_events type of a Kafka-side failure: a dead-lettered record, a consumer error, a failed
   * commit.
   */
  public static final String KAFKA_ERROR = "KAFKA_ERROR";

  /** Audit actions of seed 001. */
  public enum Action {
    CREATE,
    UPDATE,
    DELETE,
    VALIDATION_FAILED
  }

  private Audit() {}

  public static void trade(
      Vertx vertx,
      String tradeId,
      Action action,
      boolean success,
      JsonObject details,
      String correlationId,
      String source) {
    send(vertx, AUDIT_LOGS, tradeEntry(tradeId, action, success, details, correlationId, source));
  }

  /** Many trade entries in one message: how a persistence verticle audits a write batch. */
  public static void trades(Vertx vertx, List<JsonObject> entries) {
    if (!entries.isEmpty()) {
      vertx.eventBus().send(Addresses.AUDIT_APPEND, new AuditBatch(AUDIT_LOGS, entries));
    }
  }

  public static JsonObject tradeEntry(
      String tradeId,
      Action action,
      boolean success,
      JsonObject details,
      String correlationId,
      String source) {
    return new JsonObject()
        .put("trade_id", tradeId)
        .put("action", action.name())
        .put("status", success ? "success" : "failed")
        .put("details", details)
        .put("correlation_id", correlationId)
        .put("source", source)
        .put("timestamp", now());
  }

  public static void event(Vertx vertx, String eventType, String severity, JsonObject data) {
    JsonObject event =
        new JsonObject()
            .put("event_type", eventType)
            .put("severity", severity)
            .put("data", data)
            .put("timestamp", now());
    send(vertx, TRADE_EVENTS, event);
  }

  /** MongoDB extended JSON, so the driver stores a real date that range queries and TTL work on. */
  public static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", instant.toString());
  }

  private static JsonObject now() {
    return date(Instant.now());
  }

  private static void send(Vertx vertx, String collection, JsonObject document) {
    vertx
        .eventBus()
        .send(
            Addresses.AUDIT_APPEND,
            document,
            new DeliveryOptions().addHeader(Headers.AUDIT_COLLECTION, collection));
  }
}
