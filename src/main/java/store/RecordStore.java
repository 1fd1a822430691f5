package store;

import domain.IngestRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** All SQL of records and their aggregates (seed 002). */
public final class RecordStore {
  public static final String NOTIFICATIONS = "notifications";
  public static final String ALERTS = "alerts";

  /** record_id is the natural key: a redelivered record inserts nothing and so changes nothing. */
  private static final String INSERT = """
      INSERT INTO records (record_id, time, source_id, destination_id, type, value, unit, reference, correlation_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (record_id) DO NOTHING
      """;
  private static final String ADD_TO_AGGREGATE = """
      INSERT INTO record_aggregates AS a (destination_id, reference, total, record_count) VALUES ($1, $2, $3, 1)
      ON CONFLICT (destination_id, reference) DO UPDATE
        SET total = a.total + EXCLUDED.total, record_count = a.record_count + 1, updated_at = now()
      RETURNING total, record_count
      """;
  /**
   * Per destination (paged, in id order): the matching records in time order with the running total
   * after each, and the destination's total. Records per destination are capped by $6.
   */
  private static final String AGGREGATIONS = """
      WITH matching AS (
        SELECT record_id, time, source_id, destination_id, type, value, unit, reference,
               CASE WHEN type = 'negative' THEN -value ELSE value END AS signed
        FROM records
        WHERE ($1::timestamptz IS NULL OR time >= $1) AND ($2::timestamptz IS NULL OR time <= $2)
          AND ($3::text IS NULL OR type = $3)
      ), destinations AS (
        SELECT destination_id, sum(signed) AS total, count(*) AS record_count
        FROM matching GROUP BY destination_id ORDER BY destination_id LIMIT $4 OFFSET $5
      ), ranked AS (
        SELECT m.*, sum(signed) OVER (PARTITION BY destination_id ORDER BY time, record_id) AS running_total,
               row_number() OVER (PARTITION BY destination_id ORDER BY time, record_id) AS n
        FROM matching m WHERE destination_id IN (SELECT destination_id FROM destinations)
      )
      SELECT d.destination_id, d.total, d.record_count,
             coalesce((SELECT json_agg(json_build_object('recordId', r.record_id, 'time', r.time, 'sourceId', r.source_id,
                 'destinationId', r.destination_id, 'type', r.type, 'value', r.value, 'unit', r.unit,
                 'reference', r.reference, 'runningTotal', r.running_total) ORDER BY r.n)
               FROM ranked r WHERE r.destination_id = d.destination_id AND r.n <= $6), '[]'::json) AS records
      FROM destinations d ORDER BY d.destination_id
      """;
  private static final String COUNT_DESTINATIONS = """
      SELECT count(DISTINCT destination_id) FROM records
      WHERE ($1::timestamptz IS NULL OR time >= $1) AND ($2::timestamptz IS NULL OR time <= $2)
        AND ($3::text IS NULL OR type = $3)
      """;

  private final Pool pool;

  public RecordStore(Pool pool) {
    this.pool = pool;
  }

  /** One record to ingest, with the correlation id its outbox messages carry. */
  public record NewRecord(IngestRecord record, String correlationId) {}

  /**
   * In one transaction, with the outcome each record would get alone in this order: insert the records
   * (a repeated record id, in the table or earlier in the batch, is a duplicate with no effect), add each new
   * record's signed value to its (destination, reference) aggregate in order, so every notification carries
   * the running total after its own record, and write the notifications (and alerts above the threshold) to
   * the outbox in order.
   * @return per record, true when ingested now, false for a duplicate record id (a success with no effect)
   */
  public Future<List<Boolean>> ingestAll(List<NewRecord> records, BigDecimal alertThreshold) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
        .executeBatch(records.stream().map(r -> insertArguments(r.record(), r.correlationId())).toList())
        .map(Batches::changedRows)
        .compose(fresh -> aggregateAndNotify(tx, Batches.selected(records, fresh), alertThreshold).map(fresh)));
  }

  private static Future<Void> aggregateAndNotify(SqlClient tx, List<NewRecord> fresh, BigDecimal alertThreshold) {
    if (fresh.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> additions = fresh.stream().map(NewRecord::record)
        .map(r -> Tuple.of(r.destinationId(), r.reference(), r.signedValue())).toList();
    return tx.preparedQuery(ADD_TO_AGGREGATE).executeBatch(additions)
        .map(Batches::firstRows)
        .compose(aggregates -> {
          List<OutboxStore.Message> messages = new ArrayList<>();
          for (int i = 0; i < fresh.size(); i++) {
            NewRecord r = fresh.get(i);
            messages.addAll(messages(r.record(), aggregates.get(i), r.correlationId(), alertThreshold));
          }
          return OutboxStore.append(tx, messages);
        });
  }

  private static List<OutboxStore.Message> messages(IngestRecord record, Row aggregate, String correlationId,
      BigDecimal alertThreshold) {
    JsonObject json = toJson(record);
    JsonObject summary = new JsonObject()
        .put("destinationId", record.destinationId())
        .put("reference", record.reference())
        .put("total", aggregate.getBigDecimal("total"))
        .put("recordCount", aggregate.getLong("record_count"));
    List<OutboxStore.Message> messages = new ArrayList<>(2);
    messages.add(new OutboxStore.Message(NOTIFICATIONS, record.destinationId(),
        new JsonObject().put("record", json).put("summary", summary), correlationId));
    if (record.value().compareTo(alertThreshold) > 0) {
      messages.add(new OutboxStore.Message(ALERTS, record.destinationId(), new JsonObject().put("record", json)
          .put("threshold", alertThreshold).put("reason", "value " + record.value() + " exceeds " + alertThreshold),
          correlationId));
    }
    return messages;
  }

  /** @return {items, total} where total counts the matching destinations */
  public Future<JsonObject> aggregations(OffsetDateTime start, OffsetDateTime end, String type, int limit, long offset,
      int maxRecordsPerDestination) {
    Tuple filter = Tuple.of(start, end, type);
    Future<JsonArray> items = pool.preparedQuery(AGGREGATIONS)
        .execute(Tuple.of(start, end, type, limit, offset, maxRecordsPerDestination))
        .map(rows -> {
          JsonArray destinations = new JsonArray();
          rows.forEach(row -> destinations.add(new JsonObject()
              .put("destinationId", row.getString("destination_id"))
              .put("total", row.getBigDecimal("total"))
              .put("recordCount", row.getLong("record_count"))
              .put("records", new JsonArray(row.getValue("records").toString()))));
          return destinations;
        });
    Future<Long> total = pool.preparedQuery(COUNT_DESTINATIONS).execute(filter).map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new JsonObject().put("items", items.result()).put("total", total.result()));
  }

  public static JsonObject toJson(IngestRecord r) {
    return new JsonObject()
        .put("recordId", r.recordId())
        .put("time", r.time().toInstant().toString())
        .put("sourceId", r.sourceId())
        .put("destinationId", r.destinationId())
        .put("type", r.type().wireName())
        .put("value", r.value())
        .put("unit", r.unit())
        .put("reference", r.reference());
  }

  private static Tuple insertArguments(IngestRecord r, String correlationId) {
    return Tuple.of(r.recordId(), r.time(), r.sourceId(), r.destinationId(), r.type().wireName(), r.value(), r.unit(),
        r.reference(), correlationId);
  }
}
