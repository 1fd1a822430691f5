package verticles;

import bus.Answering;
import codec.IdempotencyJson;
import codec.Outcomes;
import contract.Addresses;
import contract.Headers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import logging.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.PortfolioSettings;
import store.IdempotencyStore;
import store.PgPools;
import store.PortfolioStore;

/**
 * The only writer of portfolios (role {@code portfolio}): {@code portfolio.seed} stores a portfolio
 * and its {@code portfolio.seeded} outbox event in one transaction. Body {@code {portfolio_id,
 * portfolio}}; reply {@code {status: "stored"}}, or a refusal when the database refuses the
 * document as data.
 */
public final class PortfolioVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PortfolioVerticle.class);

  private Pool pool;
  private PortfolioStore store;

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new PortfolioStore(pool, PortfolioSettings.from(config()).eventsTopic());
    return vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.PORTFOLIO_SEED, Answering.always(LOG, this::seed))
        .completion();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void seed(Message<JsonObject> message) {
    String correlationId = message.headers().get(Headers.CORRELATION_ID);
    String id = message.body().getString("portfolio_id");
    IdempotencyStore.once(
            pool,
            IdempotencyJson.of(message.body()),
            tx ->
                store
                    .seed(tx, id, message.body().getJsonObject("portfolio"), correlationId)
                    .map(Outcomes.status("stored")))
        .onSuccess(
            stored -> {
              vertx.eventBus().publish(Addresses.OUTBOX_WAKE, null);
              Correlation.log(correlationId, () -> LOG.info("portfolio {} seeded", id));
              message.reply(stored);
            })
        .onFailure(e -> Answering.fail(message, "portfolio " + id, e, LOG));
  }
}
