package store;

import audit.Audit;
import io.vertx.core.Future;
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

  /** Filter fields (all optional): trade_id, action, status, from, to. Newest first. */
  public Future<List<JsonObject>> find(String tradeId, String action, String status, Instant from, Instant to, int limit) {
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
    FindOptions options = new FindOptions().setSort(new JsonObject().put("timestamp", -1)).setLimit(limit)
        .setFields(new JsonObject().put("_id", 0));
    return mongo.findWithOptions(Audit.AUDIT_LOGS, query, options).map(docs -> docs.stream().map(AuditQueries::readable).toList());
  }

  /**
   * Dead-lettered Kafka records: the one count still read from the audit, because records the consumer
   * cannot parse never reach the trade store. Processed and refused trades are counted in PostgreSQL.
   */
  public Future<JsonObject> counts() {
    return count(new JsonObject().put("source", "kafka").put("action", Audit.Action.VALIDATION_FAILED.name()))
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

  /** Mongo extended-JSON dates become plain ISO strings for API clients. */
  private static JsonObject readable(JsonObject doc) {
    Object ts = doc.getValue("timestamp");
    if (ts instanceof JsonObject date && date.containsKey("$date")) {
      doc.put("timestamp", date.getValue("$date").toString());
    }
    return doc;
  }
}
