package reliability;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import support.Await;
import support.ServiceUnderTest;

/** How long an injected fault lasts: until the service has noticed it, then a little longer. */
final class Outages {
  static final Duration NOTICE = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private Outages() {}

  /**
   * Returns once the health endpoint at {@code path} has answered 503 (the service noticed the
   * fault), and kept answering 503 for {@code Scale.pick(3, 10)} more seconds: the work in flight
   * runs into the outage, instead of the fault ending before anything could go wrong.
   */
  static void holdUntilNoticed(ServiceUnderTest service, String path) {
    Await.until(
        "the service reports the outage on " + path,
        NOTICE,
        () -> service.get(path).statusCode() == 503);
    holdDown(service, path, Duration.ofSeconds(Scale.pick(3, 10)));
  }

  /** Keeps checking, for the whole duration, that the service still reports the fault. */
  static void holdDown(ServiceUnderTest service, String path, Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < until) {
      int status = service.get(path).statusCode();
      if (status != 503) {
        throw new AssertionError(
            path + " answered " + status + " while the fault was still in place");
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }
}
