package store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes outbox rows. Always called with the connection of the transaction that writes the effect,
 * so the message exists if and only if the effect does. After the commit, publish {@code outbox.wake}.
 */
public final class OutboxStore {
  /** One message to publish: topic, key (the aggregate id, for per-key order), JSON payload. */
  public record Message(String topic, String key, JsonObject payload, String correlationId) {}

  private static final String APPEND = """
      INSERT INTO outbox (event_id, topic, message_key, payload, correlation_id)
      VALUES ($1, $2, $3, $4, $5)
      """;

  private OutboxStore() {}

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
}
