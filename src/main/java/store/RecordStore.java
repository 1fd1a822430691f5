package store;

import contract.Topics;
import domain.Decimals;
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

  /** record_id is the natural key: a redelivered record inserts nothing and so changes nothing. */
  private static final String INSERT =
      """
      INSERT INTO records (record_id, time, source_id, destination_id, type, value, unit, reference, correlation_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (record_id) DO NOTHING
      """;

  private static final String ADD_TO_AGGREGATE =
      """
      INSERT INTO record_aggregates AS a (destination_id, reference, total, record_count) VALUES ($1, $2, $3, 1)
      ON CONFLICT (destination_id, reference) DO UPDATE
        SET total = a.total + EXCLUDED.total, record_count = a.record_count + 1, updated_at = now()
      RETURNING total, record_count
      """;

  /**
   * Per destination (paged, in id order, after destination $7: '' from the start): the matching
   * records in time order with the running total after each, and the destination's total. Records
   * per destination are capped by $6 (no cap by default). A page reads the destinations it shows,
   * along (destination_id, time), and no others. Decimals leave as exact strings without trailing
   * zeros ({@code trim_scale}), the one format of {@link Decimals}.
   */
  public static final String AGGREGATIONS =
      """
      WITH destinations AS (
        SELECT destination_id, sum(CASE WHEN type = 'negative' THEN -value ELSE value END) AS total,
               count(*) AS record_count
        FROM records
        WHERE destination_id > $7 AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::timestamptz IS NULL OR time <= $2)
          AND ($3::text IS NULL OR type = $3)
        GROUP BY destination_id ORDER BY destination_id LIMIT $4 OFFSET $5
      ), ranked AS (
        SELECT r.record_id, r.time, r.source_id, r.destination_id, r.type, r.value, r.unit, r.reference,
               sum(CASE WHEN type = 'negative' THEN -value ELSE value END)
                 OVER (PARTITION BY destination_id ORDER BY time, record_id) AS running_total,
               row_number() OVER (PARTITION BY destination_id ORDER BY time, record_id) AS n
        FROM records r
        WHERE r.destination_id IN (SELECT destination_id FROM destinations)
          AND ($1::timestamptz IS NULL OR time >= $1) AND ($2::timestamptz IS NULL OR time <= $2)
          AND ($3::text IS NULL OR type = $3)
      )
      SELECT d.destination_id, d.total, d.record_count,
             coalesce((SELECT json_agg(json_build_object('recordId', r.record_id, 'time', r.time, 'sourceId', r.source_id,
                 'destinationId', r.destination_id, 'type', r.type, 'value', trim_scale(r.value)::text, 'unit', r.unit,
                 'reference', r.reference, 'runningTotal', trim_scale(r.running_total)::text) ORDER BY r.n)
               FROM ranked r WHERE r.destination_id = d.destination_id AND r.n <= $6), '[]'::json) AS records
      FROM destinations d ORDER BY d.destination_id
      """;

  /**
   * The planner's estimate of the matching destinations: planned, never run, so its cost does not
   * grow with the table (an exact count of a filtered set would read all of it).
   */
  private static final String ESTIMATE_DESTINATIONS =
      """
      EXPLAIN (FORMAT JSON) SELECT DISTINCT destination_id FROM records
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
   * In one transaction, with the outcome each record would get alone in this order: insert the
   * records (a repeated record id, in the table or earlier in the batch, is a duplicate with no
   * effect), add each new record's signed value to its (destination, reference) aggregate in order,
   * so every notification carries the running total after its own record, and write the
   * notifications (and alerts above the threshold) to the outbox in order.
   *
   * @return per record, true when ingested now, false for a duplicate record id (a success with no
   *     effect)
   */
  public Future<List<Boolean>> ingestAll(List<NewRecord> records, BigDecimal alertThreshold) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(INSERT)
                .executeBatch(
                    records.stream()
                        .map(r -> insertArguments(r.record(), r.correlationId()))
                        .toList())
                .map(Batches::changedRows)
                .compose(
                    fresh ->
                        aggregateAndNotify(tx, Batches.selected(records, fresh), alertThreshold)
                            .map(fresh)));
  }

  private static Future<Void> aggregateAndNotify(
      SqlClient tx, List<NewRecord> fresh, BigDecimal alertThreshold) {
    if (fresh.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> additions =
        fresh.stream()
            .map(NewRecord::record)
            .map(r -> Tuple.of(r.destinationId(), r.reference(), r.signedValue()))
            .toList();
    return tx.preparedQuery(ADD_TO_AGGREGATE)
        .executeBatch(additions)
        .map(Batches::firstRows)
        .compose(
            aggregates -> {
              List<OutboxStore.Message> messages = new ArrayList<>();
              for (int i = 0; i < fresh.size(); i++) {
                NewRecord r = fresh.get(i);
                messages.addAll(
                    messages(r.record(), aggregates.get(i), r.correlationId(), alertThreshold));
              }
              return OutboxStore.append(tx, messages);
            });
  }

  private static List<OutboxStore.Message> messages(
      IngestRecord record, Row aggregate, String correlationId, BigDecimal alertThreshold) {
    JsonObject json = toJson(record);
    JsonObject summary =
        new JsonObject()
            .put("destinationId", record.destinationId())
            .put("reference", record.reference())
            .put("total", Decimals.format(aggregate.getBigDecimal("total")))
            .put("recordCount", aggregate.getLong("record_count"));
    List<OutboxStore.Message> messages = new ArrayList<>(2);
    messages.add(
        new OutboxStore.Message(
            Topics.NOTIFICATIONS,
            record.destinationId(),
            new JsonObject().put("record", json).put("summary", summary),
            correlationId));
    if (record.value().compareTo(alertThreshold) > 0) {
      messages.add(
          new OutboxStore.Message(
              Topics.ALERTS,
              record.destinationId(),
              new JsonObject()
                  .put("record", json)
                  .put("threshold", Decimals.format(alertThreshold))
                  .put(
                      "reason",
                      "value "
                          + Decimals.format(record.value())
                          + " exceeds "
                          + Decimals.format(alertThreshold)),
              correlationId));
    }
    return messages;
  }

  /** The filters of an aggregations listing; null means no bound. */
  public record AggregationFilter(OffsetDateTime start, OffsetDateTime end, String type) {}

  /**
   * @param afterDestination the last destination seen ('' from the start); with it, {@code offset}
   *     is 0
   * @param maxRecordsPerDestination 0 for every record
   * @return {items, more}: up to {@code limit} destinations and whether more follow
   */
  public Future<JsonObject> destinations(
      AggregationFilter filter,
      String afterDestination,
      int limit,
      long offset,
      int maxRecordsPerDestination) {
    long cap = maxRecordsPerDestination > 0 ? maxRecordsPerDestination : Long.MAX_VALUE;
    return pool.preparedQuery(AGGREGATIONS)
        .execute(
            Tuple.of(
                filter.start(),
                filter.end(),
                filter.type(),
                limit + 1,
                offset,
                cap,
                afterDestination))
        .map(
            rows -> {
              JsonArray page = new JsonArray();
              rows.forEach(
                  row ->
                      page.add(
                          new JsonObject()
                              .put("destinationId", row.getString("destination_id"))
                              .put("total", Decimals.format(row.getBigDecimal("total")))
                              .put("recordCount", row.getLong("record_count"))
                              .put("records", new JsonArray(row.getValue("records").toString()))));
              boolean more = page.size() > limit;
              if (more) {
                page.remove(limit);
              }
              return new JsonObject().put("items", page).put("more", more);
            });
  }

  /** The planner's estimate of the destinations matching the filter. */
  public Future<Long> estimateDestinations(AggregationFilter filter) {
    return pool.preparedQuery(ESTIMATE_DESTINATIONS)
        .execute(Tuple.of(filter.start(), filter.end(), filter.type()))
        .map(RecordStore::plannedRows);
  }

  private static long plannedRows(io.vertx.sqlclient.RowSet<Row> explained) {
    Object plan = explained.iterator().next().getValue(0);
    JsonArray plans = plan instanceof JsonArray array ? array : new JsonArray(plan.toString());
    return Math.round(plans.getJsonObject(0).getJsonObject("Plan").getDouble("Plan Rows"));
  }

  public static JsonObject toJson(IngestRecord r) {
    return new JsonObject()
        .put("recordId", r.recordId())
        .put("time", r.time().toInstant().toString())
        .put("sourceId", r.sourceId())
        .put("destinationId", r.destinationId())
        .put("type", r.type().wireName())
        .put("value", Decimals.format(r.value()))
        .put("unit", r.unit())
        .put("reference", r.reference());
  }

  private static Tuple insertArguments(IngestRecord r, String correlationId) {
    return Tuple.of(
        r.recordId(),
        r.time(),
        r.sourceId(),
        r.destinationId(),
        r.type().wireName(),
        r.value(),
        r.unit(),
        r.reference(),
        correlationId);
  }
}
