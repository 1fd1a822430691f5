package store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Deletes what has outlived its use, oldest first and a bounded batch per statement, so a large
 * backlog never holds long locks. Safe to run on several nodes at once.
 */
public final class RetentionStore {
  private static final int BATCH = 10_000;
  // Rows are appended in id order, so the oldest are found from the start of the primary key.
  private static final String PRICES_RAW =
      """
      DELETE FROM prices_raw WHERE id IN (
        SELECT id FROM prices_raw WHERE received_at < now() - make_interval(hours => $1) ORDER BY id LIMIT $2)
      """;
  private static final String QUOTE_TICK =
      """
      DELETE FROM quote_tick WHERE id IN (
        SELECT id FROM quote_tick WHERE ts < now() - make_interval(hours => $1) ORDER BY id LIMIT $2)
      """;

  private static String bars(String table) {
    return """
    DELETE FROM %1$s WHERE (symbol, bucket) IN (
      SELECT symbol, bucket FROM %1$s WHERE bucket < now() - make_interval(days => $1) ORDER BY bucket LIMIT $2)
    """
        .formatted(table);
  }

  private static final String BARS_1MIN = bars("quote_ohlc_1min");
  private static final String BARS_5MIN = bars("quote_ohlc_5min");
  private static final String PROCESSED_EVENTS =
      """
      DELETE FROM processed_events WHERE (event_id, service_name) IN (
        SELECT event_id, service_name FROM processed_events
        WHERE processed_at < now() - make_interval(days => $1) ORDER BY processed_at LIMIT $2)
      """;

  private static final String IDEMPOTENCY_KEYS =
      """
      DELETE FROM idempotency_keys WHERE (subject, idempotency_key) IN (
        SELECT subject, idempotency_key FROM idempotency_keys
        WHERE created_at < now() - make_interval(hours => $1) ORDER BY created_at LIMIT $2)
      """;

  private final Pool pool;

  public RetentionStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * @return rows deleted from prices_raw and quote_tick
   */
  public Future<Long> purgeTicks(int hours) {
    return purge(PRICES_RAW, hours, 0).compose(raw -> purge(QUOTE_TICK, hours, raw));
  }

  /**
   * @return rows deleted from quote_ohlc_1min and quote_ohlc_5min
   */
  public Future<Long> purgeBars(int days) {
    return purge(BARS_1MIN, days, 0).compose(oneMinute -> purge(BARS_5MIN, days, oneMinute));
  }

  /**
   * @return rows deleted from processed_events
   */
  public Future<Long> purgeProcessedEvents(int days) {
    return purge(PROCESSED_EVENTS, days, 0);
  }

  /**
   * @return idempotency keys deleted: a retry after this long is a new request
   */
  public Future<Long> purgeIdempotencyKeys(int hours) {
    return purge(IDEMPOTENCY_KEYS, hours, 0);
  }

  private Future<Long> purge(String sql, int age, long deletedSoFar) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(age, BATCH))
        .compose(
            rows ->
                rows.rowCount() < BATCH
                    ? Future.succeededFuture(deletedSoFar + rows.rowCount())
                    : purge(sql, age, deletedSoFar + rows.rowCount()));
  }
}
