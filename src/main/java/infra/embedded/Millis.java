package infra.embedded;

import java.util.concurrent.TimeUnit;

/** Elapsed time for the "started in N ms" log lines. */
final class Millis {
  private Millis() {}

  static long since(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
