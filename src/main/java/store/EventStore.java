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

  private static final String MARK_PROCESSED =
      """
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

  /** One raw event to persist, with the original payload its completion event carries. */
  public record NewEvent(Parsed event, String eventId, String correlationId, JsonObject original) {}

  /**
   * Persists a batch in one transaction, with the outcome each event would get alone in this order:
   * the processed_events rows first (a repeated id, in the table or earlier in the batch, is a
   * duplicate), then each new event's entity upsert (in order, so a later event for an entity
   * wins), then the completion events' outbox rows in order.
   *
   * @return per event, true when persisted now, false when its id was already processed (a success)
   */
  public Future<List<Boolean>> persistAll(List<NewEvent> events) {
    return pool.withTransaction(
        tx ->
            markProcessed(tx, events)
                .compose(fresh -> writeEffects(tx, Batches.selected(events, fresh)).map(fresh)));
  }

  private static Future<List<Boolean>> markProcessed(SqlClient tx, List<NewEvent> events) {
    List<Tuple> rows =
        events.stream().map(e -> Tuple.of(e.eventId(), SERVICE_NAME, e.correlationId())).toList();
    return tx.preparedQuery(MARK_PROCESSED).executeBatch(rows).map(Batches::changedRows);
  }

  private static Future<Void> writeEffects(SqlClient tx, List<NewEvent> fresh) {
    Map<RawEventType, List<Tuple>> upserts = new EnumMap<>(RawEventType.class);
    List<OutboxStore.Message> completions = new ArrayList<>(fresh.size());
    for (NewEvent e : fresh) {
      List<Object> values = new ArrayList<>(e.event().values());
      values.add(e.correlationId());
      upserts.computeIfAbsent(e.event().type(), type -> new ArrayList<>()).add(Tuple.from(values));
      completions.add(completion(e));
    }
    Future<Void> written = Future.succeededFuture();
    for (Map.Entry<RawEventType, List<Tuple>> byType : upserts.entrySet()) {
      written =
          written
              .compose(
                  v ->
                      tx.preparedQuery(UPSERTS.get(byType.getKey()))
                          .executeBatch(byType.getValue()))
              .mapEmpty();
    }
    return written.compose(v -> OutboxStore.append(tx, completions));
  }

  private static OutboxStore.Message completion(NewEvent e) {
    Parsed event = e.event();
    JsonObject completion =
        new JsonObject()
            .put("event_id", e.eventId())
            .put("event_type", event.type().completionTopic())
            .put("correlation_id", e.correlationId())
            .put("key", event.entityKey())
            .put("data", e.original());
    return new OutboxStore.Message(
        event.type().completionTopic(), event.entityKey(), completion, e.correlationId());
  }

  /** INSERT … ON CONFLICT (key) DO UPDATE: a later event for the same entity updates it. */
  private static String upsertSql(RawEventType type) {
    List<String> columns =
        new ArrayList<>(type.fields().stream().map(RawEventType.Field::name).toList());
    columns.add("correlation_id");
    String placeholders =
        IntStream.rangeClosed(1, columns.size())
            .mapToObj(i -> "$" + i)
            .collect(Collectors.joining(", "));
    String updates =
        columns.stream()
            .filter(c -> !type.keyColumns().contains(c))
            .map(c -> c + " = EXCLUDED." + c)
            .collect(Collectors.joining(", "));
    return "INSERT INTO "
        + type.table()
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + placeholders
        + ")"
        + " ON CONFLICT ("
        + String.join(", ", type.keyColumns())
        + ") DO UPDATE SET "
        + updates
        + ", updated_at = now()";
  }
}
