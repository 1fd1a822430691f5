package http;

import io.vertx.core.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One answer shared by every request that comes within {@code reuseMs} of the one that asked for
 * it, or while it is still in flight: however many probes and pollers call, the backends behind it
 * are asked at most once per interval, and a slow backend never has two of these asks queued (when
 * each ask takes longer than the interval, starting a new one every interval piles them up). A
 * failed answer is not reused. Used on one event loop (each verticle instance has its own).
 */
final class SharedAnswer<T> {
  /**
   * An ask in flight this long is given up on: the backend hung, and the next request asks anew.
   */
  private static final long PATIENCE_NANOS = 30_000_000_000L;

  private final long reuseNanos;
  private final LongSupplier nanoClock;
  private Future<T> last;
  private long askedAt;

  SharedAnswer(long reuseMs) {
    this(reuseMs, System::nanoTime);
  }

  SharedAnswer(long reuseMs, LongSupplier nanoClock) {
    this.reuseNanos = reuseMs * 1_000_000;
    this.nanoClock = nanoClock;
  }

  Future<T> get(Supplier<Future<T>> ask) {
    long now = nanoClock.getAsLong();
    if (stale(now)) {
      last = ask.get();
      askedAt = now;
    }
    return last;
  }

  /** The next request asks anew (after a write that changes the answer). */
  void forget() {
    last = null;
  }

  private boolean stale(long now) {
    if (last == null || last.failed()) {
      return true;
    }
    long age = now - askedAt;
    return last.isComplete() ? age >= reuseNanos : age >= PATIENCE_NANOS;
  }
}
