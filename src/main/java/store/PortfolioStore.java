package store;

import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;

/** Portfolios as JSONB documents; a seed writes the document and its outbox event in one transaction. */
public final class PortfolioStore {
  public static final String SEEDED = "portfolio.seeded";

  private static final String FIND = "SELECT data FROM portfolios WHERE portfolio_id = $1";
  private static final String SAVE = """
      INSERT INTO portfolios (portfolio_id, data, correlation_id) VALUES ($1, $2, $3)
      ON CONFLICT (portfolio_id) DO UPDATE SET data = EXCLUDED.data, correlation_id = EXCLUDED.correlation_id,
        updated_at = now()
      """;

  private final Pool pool;

  public PortfolioStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<JsonObject>> find(String portfolioId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(portfolioId)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next().getJsonObject("data")));
  }

  /** Stores the portfolio and appends {@code portfolio.seeded} to the outbox, atomically. */
  public Future<Void> seed(String portfolioId, JsonObject portfolio, String correlationId) {
    JsonObject event = new JsonObject().put("type", SEEDED).put("portfolio_id", portfolioId).put("payload", portfolio);
    return pool.withTransaction(tx -> tx.preparedQuery(SAVE).execute(Tuple.of(portfolioId, portfolio, correlationId))
        .compose(saved -> OutboxStore.append(tx, List.of(
            new OutboxStore.Message(Topics.PORTFOLIO_EVENTS, portfolioId, event, correlationId)))));
  }
}
