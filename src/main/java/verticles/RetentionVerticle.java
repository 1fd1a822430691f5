package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.RetentionSettings;
import store.PgPools;
import store.RetentionStore;

/**
 * Keeps the append-only tables bounded: price ticks older than TICKS_RETENTION_HOURS, OHLC bars
 * older than BARS_RETENTION_DAYS, and processed_events older than PROCESSED_EVENTS_RETENTION_DAYS.
 * The latter must exceed the retention of the raw topics, or a replay from offset 0 could apply an
 * event twice.
 */
public final class RetentionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionVerticle.class);

  private Pool pool;
  private RetentionStore store;
  private boolean running;
  private RetentionSettings settings;

  @Override
  public Future<?> start() {
    settings = RetentionSettings.from(config());
    pool = PgPools.create(vertx, config());
    store = new RetentionStore(pool);
    vertx.setPeriodic(settings.checkMs(), id -> purge());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void purge() {
    if (running) {
      return;
    }
    running = true;
    store
        .purgeTicks(settings.tickHours())
        .compose(
            ticks ->
                store
                    .purgeBars(settings.barDays())
                    .compose(
                        bars ->
                            store
                                .purgeProcessedEvents(settings.processedEventDays())
                                .compose(
                                    events ->
                                        store
                                            .purgeIdempotencyKeys(settings.idempotencyKeyHours())
                                            .map(
                                                keys -> {
                                                  if (ticks + bars + events + keys > 0) {
                                                    LOG.info(
                                                        "Retention removed {} tick rows, {} bars,"
                                                            + " {} processed_events rows and {}"
                                                            + " idempotency keys",
                                                        ticks,
                                                        bars,
                                                        events,
                                                        keys);
                                                  }
                                                  return null;
                                                }))))
        .onFailure(e -> LOG.warn("Retention run failed, next run retries: {}", e.getMessage()))
        .onComplete(done -> running = false);
  }
}
