package store;

import domain.Decimals;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import resources.FinPulse;

/**
 * Portfolios as JSONB documents; a seed writes the document and its outbox event in one
 * transaction. Their valuations over time live in {@code portfolio_history}: each run values every
 * seeded portfolio from the latest quotes.
 */
public final class PortfolioStore {
  public static final String SEEDED = "portfolio.seeded";

  private static final String FIND = "SELECT data FROM portfolios WHERE portfolio_id = $1";
  private static final String OWNED =
      "SELECT 1 FROM portfolios WHERE portfolio_id = $1 AND "
          + Owners.ownsRow(FinPulse.named(FinPulse.PORTFOLIOS), "portfolios", 2);
  private static final String SAVE =
      """
      INSERT INTO portfolios (portfolio_id, data, correlation_id) VALUES ($1, $2, $3)
      ON CONFLICT (portfolio_id) DO UPDATE SET data = EXCLUDED.data, correlation_id = EXCLUDED.correlation_id,
        updated_at = now()
      """;

  /**
   * One point per seeded portfolio: the sum of quantity × latest price over every object in the
   * document that has a {@code symbol} and a numeric {@code quantity} (top-level {@code positions},
   * or holdings nested in accounts alike), for the symbols that have a quote. The time is the start
   * of the run's interval ($1 ms), so nodes running the timer together write one point, not two.
   */
  private static final String RECORD_VALUATIONS =
      """
      INSERT INTO portfolio_history (portfolio_id, ts, total_value, currency)
      SELECT p.portfolio_id,
             date_bin(make_interval(secs => $1::bigint / 1000.0), now(), timestamptz '1970-01-01'),
             round(sum((pos.item->>'quantity')::numeric * q.price), 8),
             CASE WHEN p.data->>'currency' ~ '^[A-Za-z]{3}$' THEN upper(p.data->>'currency') ELSE 'USD' END
      FROM portfolios p
      CROSS JOIN LATERAL jsonb_path_query(p.data, 'strict $.** ? (exists(@.symbol) && exists(@.quantity))') AS pos(item)
      JOIN realtime_quote q ON q.symbol = upper(pos.item->>'symbol')
      WHERE pos.item->>'quantity' ~ '^-?[0-9]{1,16}(\\.[0-9]{1,8})?$'
      GROUP BY p.portfolio_id, p.data->>'currency'
      ON CONFLICT (portfolio_id, ts) DO NOTHING
      """;

  /** The last point of each bucket of $3 seconds over the last $2 days, oldest first. */
  private static final String HISTORY =
      """
      SELECT DISTINCT ON (date_bin(make_interval(secs => $3), ts, timestamptz '1970-01-01'))
             ts, total_value, currency
      FROM portfolio_history
      WHERE portfolio_id = $1 AND ts >= now() - make_interval(days => $2)
      ORDER BY date_bin(make_interval(secs => $3), ts, timestamptz '1970-01-01'), ts DESC
      """;

  private final Pool pool;
  private final String eventsTopic;

  /**
   * @param eventsTopic where seeds announce themselves ({@code portfolio.events} unless configured)
   */
  public PortfolioStore(Pool pool, String eventsTopic) {
    this.pool = pool;
    this.eventsTopic = eventsTopic;
  }

  public Future<Optional<JsonObject>> find(String portfolioId) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(portfolioId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getJsonObject("data")));
  }

  /** Whether the portfolio is the customer {@code owner}'s (through its account). */
  public Future<Boolean> ownedBy(String owner, String portfolioId) {
    return pool.preparedQuery(OWNED)
        .execute(Tuple.of(portfolioId, owner))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Stores the portfolio and appends {@code portfolio.seeded} to the outbox, in the caller's
   * transaction.
   */
  public Future<Void> seed(
      SqlClient tx, String portfolioId, JsonObject portfolio, String correlationId) {
    JsonObject event =
        new JsonObject()
            .put("type", SEEDED)
            .put("portfolio_id", portfolioId)
            .put("payload", portfolio);
    return tx.preparedQuery(SAVE)
        .execute(Tuple.of(portfolioId, portfolio, correlationId))
        .compose(
            saved ->
                OutboxStore.append(
                    tx,
                    List.of(
                        new OutboxStore.Message(eventsTopic, portfolioId, event, correlationId))));
  }

  /**
   * @return how many portfolios got a point (a second run in the same interval adds none)
   */
  public Future<Integer> recordValuations(long intervalMs) {
    return pool.preparedQuery(RECORD_VALUATIONS)
        .execute(Tuple.of(intervalMs))
        .map(rows -> rows.rowCount());
  }

  /**
   * At most {@code maxPoints} points over {@code days} days: the last valuation of each equal slice
   * of time.
   */
  public Future<JsonArray> history(String portfolioId, int days, int maxPoints) {
    long bucketSeconds = Math.max(1, (long) Math.ceil(days * 86_400.0 / maxPoints));
    return pool.preparedQuery(HISTORY)
        .execute(Tuple.of(portfolioId, days, bucketSeconds))
        .map(
            rows -> {
              JsonArray points = new JsonArray();
              rows.forEach(
                  row ->
                      points.add(
                          new JsonObject()
                              .put("ts", row.getOffsetDateTime("ts").toInstant().toString())
                              .put(
                                  "timestamp_ms",
                                  row.getOffsetDateTime("ts").toInstant().toEpochMilli())
                              .put("total_value", Decimals.format(row.getBigDecimal("total_value")))
                              .put("currency", row.getString("currency"))));
              return points;
            });
  }
}
