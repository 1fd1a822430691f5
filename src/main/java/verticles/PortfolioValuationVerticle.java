package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.PortfolioSettings;
import store.PgPools;
import store.PortfolioStore;

/**
 * Feeds {@code portfolio_history} (role {@code portfolio}): every PORTFOLIO_VALUATION_INTERVAL_MS
 * it values each seeded portfolio from the latest quotes in one statement. Points are stamped with
 * the start of their interval and a second point for the same one is ignored, so several nodes
 * running this timer write each point once.
 */
public final class PortfolioValuationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PortfolioValuationVerticle.class);

  private Pool pool;
  private PortfolioStore store;
  private long intervalMs;
  private long timer;
  private boolean running;

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    PortfolioSettings settings = PortfolioSettings.from(config());
    store = new PortfolioStore(pool, settings.eventsTopic());
    intervalMs = settings.valuationIntervalMs();
    timer = vertx.setPeriodic(0, intervalMs, id -> value());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return pool.close();
  }

  private void value() {
    if (running) {
      return;
    }
    running = true;
    store
        .recordValuations(intervalMs)
        .onSuccess(points -> LOG.debug("Valued {} portfolios", points))
        .onFailure(
            e ->
                LOG.warn(
                    "Portfolio valuation failed, the next interval retries: {}", e.getMessage()))
        .onComplete(done -> running = false);
  }
}
