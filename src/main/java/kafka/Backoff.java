package kafka;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an action that failed for a transient reason (broker or database outage) with exponential
 * back-off, until it succeeds or the owner stops. Such failures are not poison: the record waits.
 */
public final class Backoff {
  private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);
  private static final long FIRST_DELAY_MS = 100;
  private static final long MAX_DELAY_MS = 5_000;

  private Backoff() {}

  public static <T> Future<T> retry(Vertx vertx, String what, Supplier<Future<T>> action, BooleanSupplier stopped) {
    Promise<T> result = Promise.promise();
    attempt(vertx, what, action, stopped, result, FIRST_DELAY_MS);
    return result.future();
  }

  private static <T> void attempt(Vertx vertx, String what, Supplier<Future<T>> action, BooleanSupplier stopped,
      Promise<T> result, long delayMs) {
    action.get().onComplete(done -> {
      if (done.succeeded()) {
        result.complete(done.result());
      } else if (stopped.getAsBoolean()) {
        result.fail(done.cause());
      } else {
        LOG.warn("{} failed, retrying in {} ms: {}", what, delayMs, done.cause().getMessage());
        vertx.setTimer(delayMs, id -> attempt(vertx, what, action, stopped, result, Math.min(delayMs * 2, MAX_DELAY_MS)));
      }
    });
  }
}
