package store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import resources.Resource;

/**
 * The stored history the FinPulse analytics read: notionals, payment amounts and portfolio values.
 */
public final class AnalyticsInputs {
  /**
   * The last value of each UTC day within {@code days} days before the portfolio's latest
   * valuation, oldest first, with the latest currency.
   */
  private static final String DAILY_VALUES =
      """
      SELECT total_value::float8 AS value, currency FROM (
        SELECT DISTINCT ON (date_trunc('day', ts AT TIME ZONE 'UTC')) ts, total_value, currency
        FROM portfolio_history
        WHERE portfolio_id = $1
          AND ts >= (SELECT max(ts) FROM portfolio_history WHERE portfolio_id = $1) - make_interval(days => $2)
        ORDER BY date_trunc('day', ts AT TIME ZONE 'UTC'), ts DESC) daily
      ORDER BY ts
      """;

  private static final String PAYMENT_AMOUNTS =
      "SELECT amount::float8 FROM payments ORDER BY created_at DESC LIMIT $1";

  /** A value series, oldest first, and its currency (null when empty). */
  public record Series(double[] values, String currency) {}

  private final Pool pool;

  /** The notional history statement of each table, written once. */
  private final Map<String, String> notionalSql = new ConcurrentHashMap<>();

  public AnalyticsInputs(Pool pool) {
    this.pool = pool;
  }

  /**
   * The notionals (quantity × price) of the newest {@code limit} rows of an instrument, newest
   * first.
   */
  public Future<double[]> notionals(Resource resource, String securityId, int limit) {
    String sql =
        notionalSql.computeIfAbsent(
            resource.table(),
            table ->
                "SELECT (quantity * price)::float8 FROM "
                    + table
                    + " WHERE security_id = $1 ORDER BY created_at DESC LIMIT $2");
    return pool.preparedQuery(sql)
        .execute(Tuple.of(securityId, limit))
        .map(AnalyticsInputs::doubles);
  }

  public Future<double[]> paymentAmounts(int limit) {
    return pool.preparedQuery(PAYMENT_AMOUNTS)
        .execute(Tuple.of(limit))
        .map(AnalyticsInputs::doubles);
  }

  public Future<Series> dailyValues(String portfolioId, int days) {
    return pool.preparedQuery(DAILY_VALUES)
        .execute(Tuple.of(portfolioId, days))
        .map(
            rows -> {
              double[] values = new double[rows.size()];
              String currency = null;
              int i = 0;
              for (Row row : rows) {
                values[i++] = row.getDouble("value");
                currency = row.getString("currency");
              }
              return new Series(values, currency);
            });
  }

  private static double[] doubles(RowSet<Row> rows) {
    double[] values = new double[rows.size()];
    int i = 0;
    for (Row row : rows) {
      values[i++] = row.getDouble(0);
    }
    return values;
  }
}
