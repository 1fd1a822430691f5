package mongo;

import audit.Audit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.List;

/** Reads of the MongoDB audit trail. */
public final class AuditQueries {
  private final MongoClient mongo;

  public AuditQueries(MongoClient mongo) {
    this.mongo = mongo;
  }

  /**
   * Where a page of audit entries starts: after this entry (newest first), or at the newest when
   * null.
   */
  public record After(Instant timestamp, String id) {}

  /**
   * Filter fields (all optional): trade_id, action, status, from, to. Newest first, ties in _id
   * order (descending), so that {@code after} (the last entry a page ended with) resumes exactly
   * there.
   *
   * @return up to {@code limit} entries, each with its {@code _id} as a string (the caller's cursor
   *     key)
   */
  public Future<List<JsonObject>> find(
      String tradeId,
      String action,
      String status,
      Instant from,
      Instant to,
      After after,
      int limit) {
    JsonObject query = new JsonObject();
    putIfPresent(query, "trade_id", tradeId);
    putIfPresent(query, "action", action);
    putIfPresent(query, "status", status);
    if (from != null || to != null) {
      JsonObject range = new JsonObject();
      if (from != null) {
        range.put("$gte", Audit.date(from));
      }
      if (to != null) {
        range.put("$lte", Audit.date(to));
      }
      query.put("timestamp", range);
    }
    if (after != null) {
      query.put(
          "$or",
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("timestamp", new JsonObject().put("$lt", Audit.date(after.timestamp()))))
              .add(
                  new JsonObject()
                      .put("timestamp", Audit.date(after.timestamp()))
                      .put(
                          "_id",
                          new JsonObject().put("$lt", new JsonObject().put("$oid", after.id())))));
    }
    FindOptions options =
        new FindOptions()
            .setSort(new JsonObject().put("timestamp", -1).put("_id", -1))
            .setLimit(limit);
    return mongo
        .findWithOptions(Audit.AUDIT_LOGS, query, options)
        .map(docs -> docs.stream().map(AuditQueries::readable).toList());
  }

  /**
   * Dead-lettered Kafka records: the one count still read from the audit, because records the
   * consumer cannot parse never reach the trade store. Processed and refused trades are counted in
   * PostgreSQL.
   */
  public Future<JsonObject> counts() {
    return count(
            new JsonObject()
                .put("source", "kafka")
                .put("action", Audit.Action.VALIDATION_FAILED.name()))
        .map(deadLettered -> new JsonObject().put("dlq_count", deadLettered));
  }

  private Future<Long> count(JsonObject query) {
    return mongo.count(Audit.AUDIT_LOGS, query);
  }

  private static void putIfPresent(JsonObject query, String field, String value) {
    if (value != null) {
      query.put(field, value);
    }
  }

  /** Mongo extended-JSON dates and object ids become plain strings for API clients. */
  private static JsonObject readable(JsonObject doc) {
    Object ts = doc.getValue("timestamp");
    if (ts instanceof JsonObject date && date.containsKey("$date")) {
      doc.put("timestamp", date.getValue("$date").toString());
    }
    Object id = doc.getValue("_id");
    if (id instanceof JsonObject oid && oid.containsKey("$oid")) {
      doc.put("_id", oid.getString("$oid"));
    }
    return doc;
  }
}
