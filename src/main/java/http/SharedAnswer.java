package http;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * One answer shared by every request that comes within {@code reuseMs} of the one that asked for
 * it, in flight or done: however many probes and pollers call, the backends behind it are asked at
 * most once per interval. Used on one event loop (each verticle instance has its own).
 */
final class SharedAnswer<T> {
  private final long reuseNanos;
  private Future<T> last;
  private long askedAt;

  SharedAnswer(long reuseMs) {
    this.reuseNanos = reuseMs * 1_000_000;
  }

  Future<T> get(Supplier<Future<T>> ask) {
    long now = System.nanoTime();
    if (last == null || now - askedAt >= reuseNanos) {
      last = ask.get();
      askedAt = now;
    }
    return last;
  }
}
