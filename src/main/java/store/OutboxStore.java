package store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The transactional outbox. Writers append rows with the connection of the transaction that writes
 * the effect, so a message exists if and only if its effect does (then they publish {@code
 * outbox.wake}). The dispatcher claims, publishes and marks rows.
 */
public final class OutboxStore {
  /** One message to publish: topic, key (the aggregate id, for per-key order), JSON payload. */
  public record Message(String topic, String key, JsonObject payload, String correlationId) {}

  /** A claimed row, with the event id downstream consumers deduplicate by. */
  public record Pending(
      long id, UUID eventId, String topic, String key, JsonObject payload, String correlationId) {}

  private static final String APPEND =
      """
      INSERT INTO outbox (event_id, topic, message_key, payload, correlation_id)
      VALUES ($1, $2, $3, $4, $5)
      """;

  /**
   * One dispatcher at a time across the cluster owns the outbox: per-key order needs a single
   * publisher.
   */
  private static final String OWN =
      "SELECT pg_try_advisory_xact_lock(hashtext('outbox-dispatcher'))";

  private static final String CLAIM =
      """
      SELECT id, event_id, topic, message_key, payload, correlation_id FROM outbox
      WHERE published_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
      """;
  private static final String MARK_PUBLISHED =
      "UPDATE outbox SET published_at = now() WHERE id = ANY($1)";
  private static final String MARK_FAILED =
      "UPDATE outbox SET failed_at = now(), last_error = $2 WHERE id = $1";
  private static final String PURGE =
      """
      DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)
      """;
  private static final String BACKLOG =
      """
      SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8
      FROM outbox WHERE published_at IS NULL AND failed_at IS NULL
      """;

  private final Pool pool;

  public OutboxStore(Pool pool) {
    this.pool = pool;
  }

  public static Future<Void> append(SqlClient transaction, List<Message> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(messages.size());
    for (Message m : messages) {
      rows.add(Tuple.of(UUID.randomUUID(), m.topic(), m.key(), m.payload(), m.correlationId()));
    }
    return transaction.preparedQuery(APPEND).executeBatch(rows).mapEmpty();
  }

  /**
   * In one transaction: take the dispatcher lock, claim up to {@code limit} pending rows in id
   * order, hand them to {@code publish}, and mark them published only if it succeeded; rows it
   * reports as refused for good (id → error) are marked failed instead. Any failure rolls back: the
   * rows stay pending and are claimed again later (at least once, never lost).
   *
   * @return how many rows were claimed (0 when another dispatcher owns the outbox or none wait)
   */
  public Future<Integer> publishBatch(
      int limit, Function<List<Pending>, Future<Map<Long, String>>> publish) {
    return pool.withTransaction(
        tx ->
            tx.query(OWN)
                .execute()
                .compose(
                    lock ->
                        !lock.iterator().next().getBoolean(0)
                            ? Future.succeededFuture(0)
                            : tx.preparedQuery(CLAIM)
                                .execute(Tuple.of(limit))
                                .map(
                                    rows -> {
                                      List<Pending> pending = new ArrayList<>(rows.size());
                                      rows.forEach(row -> pending.add(pending(row)));
                                      return pending;
                                    })
                                .compose(
                                    pending ->
                                        pending.isEmpty()
                                            ? Future.succeededFuture(0)
                                            : publish
                                                .apply(pending)
                                                .compose(refused -> mark(tx, pending, refused)))));
  }

  private static Future<Integer> mark(
      SqlClient tx, List<Pending> pending, Map<Long, String> refused) {
    Long[] published =
        pending.stream()
            .map(Pending::id)
            .filter(id -> !refused.containsKey(id))
            .toArray(Long[]::new);
    List<Tuple> failed =
        refused.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList();
    Future<?> markFailed =
        failed.isEmpty()
            ? Future.succeededFuture()
            : tx.preparedQuery(MARK_FAILED).executeBatch(failed);
    return markFailed
        .compose(done -> tx.preparedQuery(MARK_PUBLISHED).execute(Tuple.of((Object) published)))
        .map(done -> pending.size());
  }

  /** Deletes rows published more than {@code retentionSeconds} ago. */
  public Future<Integer> purgePublished(double retentionSeconds) {
    return pool.preparedQuery(PURGE)
        .execute(Tuple.of(retentionSeconds))
        .map(rows -> rows.rowCount());
  }

  /** Rows waiting to be published, and how long the oldest has waited. */
  public record Backlog(long rows, double oldestAgeSeconds) {}

  public Future<Backlog> backlog() {
    return pool.query(BACKLOG)
        .execute()
        .map(rows -> rows.iterator().next())
        .map(row -> new Backlog(row.getLong(0), row.getDouble(1)));
  }

  private static Pending pending(Row row) {
    Object payload = row.getValue("payload");
    return new Pending(
        row.getLong("id"),
        row.getUUID("event_id"),
        row.getString("topic"),
        row.getString("message_key"),
        payload instanceof JsonObject json ? json : new JsonObject(payload.toString()),
        row.getString("correlation_id"));
  }
}
