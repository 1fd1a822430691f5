package codec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Audit documents of one collection sent as one event-bus message: a persistence verticle audits a
 * whole write batch at once, so the audit costs one message per batch, and the documents travel by
 * reference (no copy) inside one JVM. The documents must not be changed after sending, except by
 * the audit writer.
 */
public record AuditBatch(String collection, List<JsonObject> documents) {

  static JsonObject toJson(AuditBatch batch) {
    return new JsonObject()
        .put("collection", batch.collection())
        .put("documents", new JsonArray(batch.documents()));
  }

  static AuditBatch fromJson(JsonObject json) {
    JsonArray documents = json.getJsonArray("documents");
    return new AuditBatch(
        json.getString("collection"), documents.stream().map(JsonObject.class::cast).toList());
  }
}
