package codec;

import domain.IdempotencyKey;
import io.vertx.core.json.JsonObject;

/**
 * An {@link IdempotencyKey} on a write's bus message, under {@value #FIELD}; absent when the client
 * sent none.
 */
public final class IdempotencyJson {
  public static final String FIELD = "idempotency";

  private IdempotencyJson() {}

  /** The message with the key added (unchanged when there is none). */
  public static JsonObject with(JsonObject message, IdempotencyKey key) {
    return key == null
        ? message
        : message.put(
            FIELD,
            new JsonObject()
                .put("subject", key.subject())
                .put("key", key.key())
                .put("fingerprint", key.fingerprint()));
  }

  /** The key a message carries, or null. */
  public static IdempotencyKey of(JsonObject message) {
    JsonObject key = message.getJsonObject(FIELD);
    return key == null
        ? null
        : new IdempotencyKey(
            key.getString("subject"), key.getString("key"), key.getString("fingerprint"));
  }
}
