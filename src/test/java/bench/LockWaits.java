package bench;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples {@code pg_stat_activity} every 20 ms while a load runs: how often any client backend was
 * waiting for a lock (a heavyweight lock: a row, a transaction id, a relation), and on what.
 * Counter rows every writer updates show up here as {@code Lock/transactionid} waits.
 */
final class LockWaits implements AutoCloseable {
  private static final String WAITING =
      "SELECT wait_event FROM pg_stat_activity"
          + " WHERE backend_type = 'client backend' AND wait_event_type = 'Lock'";

  private final Vertx vertx;
  private final long timer;
  private final AtomicInteger samples = new AtomicInteger();
  private final AtomicInteger samplesWithWaits = new AtomicInteger();
  private final Map<String, Integer> waitsByEvent = new TreeMap<>();

  private LockWaits(Vertx vertx, Pool pg) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(20, id -> sample(pg));
  }

  static LockWaits watch(Vertx vertx, Pool pg) {
    return new LockWaits(vertx, pg);
  }

  private void sample(Pool pg) {
    pg.query(WAITING)
        .execute()
        .onSuccess(
            rows -> {
              samples.incrementAndGet();
              if (rows.size() > 0) {
                samplesWithWaits.incrementAndGet();
              }
              synchronized (waitsByEvent) {
                for (Row row : rows) {
                  waitsByEvent.merge(row.getString(0), 1, Integer::sum);
                }
              }
            });
  }

  int samples() {
    return samples.get();
  }

  int samplesWithWaits() {
    return samplesWithWaits.get();
  }

  /** E.g. "3 of 740 samples (transactionid 5)", or "none in 740 samples". */
  String describe() {
    synchronized (waitsByEvent) {
      return samplesWithWaits.get() == 0
          ? "no lock wait in " + samples.get() + " samples"
          : samplesWithWaits.get()
              + " of "
              + samples.get()
              + " samples had backends waiting on a lock "
              + waitsByEvent;
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
