package bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import support.Await;

/**
 * An open-loop load at a fixed rate, as real clients arrive: request {@code i} is due at {@code
 * start + i/rate} whether or not earlier ones were answered, and its latency counts from that due
 * time, so a stall shows in the percentiles instead of silently slowing the load (no coordinated
 * omission).
 */
final class OpenLoop {
  /** Latency percentiles in milliseconds, and how many of the requests failed. */
  record Result(long sent, long failed, double p50Ms, double p95Ms, double p99Ms, double maxMs) {}

  private OpenLoop() {}

  /**
   * Runs the load for a few seconds first, unmeasured, so the client's connections and JIT are warm
   * and the figures are the service's, not the load generator's start-up.
   */
  static Result warmedUp(
      Vertx vertx, int ratePerSecond, int seconds, LongFunction<Future<?>> send) {
    run(vertx, ratePerSecond, Bench.WARMUP_SECONDS, send);
    return run(vertx, ratePerSecond, seconds, send);
  }

  /**
   * @param send starts request {@code i}; its future completes when the work is done (fails if it
   *     was not)
   */
  static Result run(Vertx vertx, int ratePerSecond, int seconds, LongFunction<Future<?>> send) {
    Histogram latencies = new Histogram(Duration.ofMinutes(1).toNanos() / 1000, 3);
    AtomicLong failed = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    long total = (long) ratePerSecond * seconds;
    Promise<Void> allSent = Promise.promise();
    vertx.runOnContext(
        v -> {
          long start = System.nanoTime();
          long[] sent = {0};
          vertx.setPeriodic(
              1,
              timer -> {
                long due =
                    Math.min(total, (System.nanoTime() - start) * ratePerSecond / 1_000_000_000L);
                for (; sent[0] < due; sent[0]++) {
                  long dueAt = start + sent[0] * 1_000_000_000L / ratePerSecond;
                  send.apply(sent[0])
                      .onComplete(
                          done -> {
                            synchronized (latencies) {
                              latencies.recordValue(
                                  Math.max(0, (System.nanoTime() - dueAt) / 1000));
                            }
                            if (done.failed()) {
                              failed.incrementAndGet();
                            }
                            answered.incrementAndGet();
                          });
                }
                if (sent[0] == total) {
                  vertx.cancelTimer(timer);
                  allSent.complete();
                }
              });
        });
    Await.result(allSent.future(), Duration.ofSeconds(seconds + 30));
    Await.until(
        "every open-loop request answered", Duration.ofSeconds(60), () -> answered.get() == total);
    synchronized (latencies) {
      return new Result(
          total,
          failed.get(),
          latencies.getValueAtPercentile(50) / 1e3,
          latencies.getValueAtPercentile(95) / 1e3,
          latencies.getValueAtPercentile(99) / 1e3,
          latencies.getMaxValue() / 1e3);
    }
  }
}
