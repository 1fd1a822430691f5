package store;

import domain.RawEventType;
import domain.RawEventType.Parsed;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Persists raw events with exactly-once effect: the processed_events row, the entity row and the
 * completion event's outbox row are written in one transaction, or not at all.
 */
public final class EventStore {
  public static final String SERVICE_NAME = "persistence-service";

  private static final String MARK_PROCESSED = """
      INSERT INTO processed_events (event_id, service_name, correlation_id) VALUES ($1, $2, $3)
      ON CONFLICT DO NOTHING
      """;
  private static final Map<RawEventType, String> UPSERTS = new EnumMap<>(RawEventType.class);

  static {
    for (RawEventType type : RawEventType.values()) {
      UPSERTS.put(type, upsertSql(type));
    }
  }

  private final Pool pool;

  public EventStore(Pool pool) {
    this.pool = pool;
  }

  /** @return true when persisted now, false when the event id was already processed (a success) */
  public Future<Boolean> persist(Parsed event, String eventId, String correlationId, JsonObject original) {
    return pool.withTransaction(tx -> tx.preparedQuery(MARK_PROCESSED)
        .execute(Tuple.of(eventId, SERVICE_NAME, correlationId))
        .compose(marked -> marked.rowCount() == 0
            ? Future.succeededFuture(false)
            : writeEffect(tx, event, eventId, correlationId, original).map(true)));
  }

  private static Future<Void> writeEffect(SqlClient tx, Parsed event, String eventId, String correlationId,
      JsonObject original) {
    List<Object> values = new ArrayList<>(event.values());
    values.add(correlationId);
    JsonObject completion = new JsonObject()
        .put("event_id", eventId)
        .put("event_type", event.type().completionTopic())
        .put("correlation_id", correlationId)
        .put("key", event.entityKey())
        .put("data", original);
    return tx.preparedQuery(UPSERTS.get(event.type())).execute(Tuple.from(values))
        .compose(done -> OutboxStore.append(tx, List.of(new OutboxStore.Message(
            event.type().completionTopic(), event.entityKey(), completion, correlationId))));
  }

  /** INSERT … ON CONFLICT (key) DO UPDATE: a later event for the same entity updates it. */
  private static String upsertSql(RawEventType type) {
    List<String> columns = new ArrayList<>(type.fields().stream().map(RawEventType.Field::name).toList());
    columns.add("correlation_id");
    String placeholders = IntStream.rangeClosed(1, columns.size()).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
    String updates = columns.stream().filter(c -> !type.keyColumns().contains(c))
        .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    return "INSERT INTO " + type.table() + " (" + String.join(", ", columns) + ") VALUES (" + placeholders + ")"
        + " ON CONFLICT (" + String.join(", ", type.keyColumns()) + ") DO UPDATE SET " + updates + ", updated_at = now()";
  }
}
