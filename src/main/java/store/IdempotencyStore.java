package store;

import domain.ErrorCode;
import domain.IdempotencyKey;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.function.Function;

/**
 * The replies of writes sent with an {@code Idempotency-Key}, kept in the same transaction as their
 * effect: a retry with the same key, subject and request gets the first reply instead of a second
 * effect, even after a restart or on another node, and a crash cannot keep one without the other. A
 * second writer of the same key waits on the key's row until the first commits. Only a committed
 * effect keeps its key: a refused or failed write rolls it back with everything else, and its retry
 * is decided anew.
 */
public final class IdempotencyStore {
  /** Set on a reply given again for a retried key. */
  public static final String REPLAYED = "replayed";

  private static final String CLAIM =
      """
      INSERT INTO idempotency_keys (subject, idempotency_key, fingerprint, reply) VALUES ($1, $2, $3, '{}')
      ON CONFLICT (subject, idempotency_key) DO NOTHING RETURNING 1
      """;
  private static final String EARLIER =
      "SELECT fingerprint, reply FROM idempotency_keys WHERE subject = $1 "
          + "AND idempotency_key = $2";
  private static final String REMEMBER =
      "UPDATE idempotency_keys SET reply = $3 WHERE subject = $1 " + "AND idempotency_key = $2";

  private IdempotencyStore() {}

  /**
   * {@code effect} in a transaction of its own, once per key: with a key already used by this
   * subject, the reply it got (marked {@link #REPLAYED}) when the request is the same, else a
   * refusal (IDEMPOTENCY_KEY_REUSED). Without a key ({@code null}), just the effect in a
   * transaction.
   */
  public static Future<JsonObject> once(
      Pool pool, IdempotencyKey key, Function<SqlClient, Future<JsonObject>> effect) {
    if (key == null) {
      return pool.withTransaction(effect::apply);
    }
    return pool.withTransaction(
        tx ->
            claim(tx, key)
                .compose(
                    earlier ->
                        earlier.isPresent()
                            ? Future.succeededFuture(earlier.get().put(REPLAYED, true))
                            : effect
                                .apply(tx)
                                .compose(
                                    reply ->
                                        tx.preparedQuery(REMEMBER)
                                            .execute(Tuple.of(key.subject(), key.key(), reply))
                                            .map(reply))));
  }

  /**
   * Empty when the key is new (now held by this transaction), else the reply of the request that
   * used it.
   */
  private static Future<Optional<JsonObject>> claim(SqlClient tx, IdempotencyKey key) {
    return tx.preparedQuery(CLAIM)
        .execute(Tuple.of(key.subject(), key.key(), key.fingerprint()))
        .compose(
            claimed ->
                claimed.size() == 1
                    ? Future.succeededFuture(Optional.empty())
                    : tx.preparedQuery(EARLIER)
                        .execute(Tuple.of(key.subject(), key.key()))
                        .map(
                            rows -> {
                              var row = rows.iterator().next();
                              if (!key.fingerprint().equals(row.getString("fingerprint"))) {
                                throw new ViolationException(
                                    Violation.of(
                                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                                        IdempotencyKey.HEADER,
                                        "this Idempotency-Key was used for another request; send a"
                                            + " new key for a new request"));
                              }
                              return Optional.of(row.getJsonObject("reply"));
                            }));
  }
}
