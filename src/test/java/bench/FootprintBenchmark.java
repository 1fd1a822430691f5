package bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;

/**
 * Start-up time and idle memory of the service with every role, the infrastructure outside its JVM:
 * the milliseconds from the JVM's start to "ready" (migrations, connections, every verticle
 * deployed), and the resident set after it idled for a while.
 */
@Tag("benchmark")
class FootprintBenchmark {
  private static final Duration IDLE = Duration.ofSeconds(10);

  @Test
  void readyTimeAndIdleMemory() {
    List<Double> ready = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (int run = 1; run <= Bench.RUNS; run++) {
      try (Bench.Service service = Bench.startService("footprint", "all", null)) {
        long idleUntil = System.nanoTime() + IDLE.toNanos();
        Await.until("idle for " + IDLE, IDLE.plusSeconds(5), () -> System.nanoTime() >= idleUntil);
        ready.add((double) service.process().readyMillis());
        rss.add(Bench.mb(service.process().rssBytes()));
        Bench.progress(
            String.format(
                "run %d: ready in %.0f ms, idle RSS %.0f MB",
                run, ready.get(run - 1), rss.get(run - 1)));
      }
    }
    double readyMs = Bench.median(ready);
    double idleRss = Bench.median(rss);
    new BenchRow(
            "Footprint: ready time and idle RSS (all roles)",
            readyMs,
            "ms to ready",
            Double.NaN,
            Double.NaN,
            Double.NaN,
            0,
            Double.NaN,
            idleRss,
            "-",
            Double.NaN,
            Double.NaN,
            "ready < 3 s; idle RSS < 300 MB",
            readyMs < 3000 && idleRss < 300,
            ready,
            "infrastructure external (the test JVM's servers); RSS after "
                + IDLE.toSeconds()
                + " s idle, -Xmx1g ParallelGC; runs' idle RSS "
                + rss)
        .write();
  }
}
