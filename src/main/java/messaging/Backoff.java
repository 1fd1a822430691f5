package messaging;

import failures.Failures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import logging.Correlation;
import metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an action by the one failure policy ({@link Failures}): an outage (broker or database
 * down) is retried with exponential back-off and jitter until it succeeds or the owner stops, so
 * the record waits; a bug is retried {@value #BUG_ATTEMPTS} times in all and then fails, so its
 * record is dead-lettered instead of stalling its partition; a refusal fails at once.
 */
public final class Backoff {
  private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);
  private static final long FIRST_DELAY_MS = 100;
  private static final long MAX_DELAY_MS = 5_000;

  /**
   * Attempts of an action that fails with a bug: one more than a transient fault in the bug's path
   * needs.
   */
  static final int BUG_ATTEMPTS = 3;

  private Backoff() {}

  /**
   * @param correlationId the id the retry warnings carry: the item's, or the first item's of a run
   */
  public static <T> Future<T> retry(
      Vertx vertx,
      String what,
      String correlationId,
      Supplier<Future<T>> action,
      BooleanSupplier stopped) {
    Promise<T> result = Promise.promise();
    attempt(vertx, new Attempt(what, correlationId, action, stopped, result), FIRST_DELAY_MS, 1);
    return result.future();
  }

  /** One retried action: what it is and who waits, for the warnings. */
  private record Attempt<T>(
      String what,
      String correlationId,
      Supplier<Future<T>> action,
      BooleanSupplier stopped,
      Promise<T> result) {}

  private static <T> void attempt(Vertx vertx, Attempt<T> attempt, long delayMs, int attempts) {
    attempt
        .action()
        .get()
        .onComplete(
            done -> {
              if (done.succeeded()) {
                attempt.result().complete(done.result());
              } else if (isFinal(attempt, done.cause(), attempts)) {
                attempt.result().fail(done.cause());
              } else {
                long delay =
                    ThreadLocalRandom.current()
                        .nextLong(delayMs / 2, delayMs + 1); // jitter: retries do not align
                Correlation.log(
                    attempt.correlationId(),
                    () ->
                        LOG.warn(
                            "{} failed, retrying in {} ms: {}",
                            attempt.what(),
                            delay,
                            done.cause().getMessage()));
                Meters.retried();
                vertx.setTimer(
                    delay,
                    id ->
                        attempt(vertx, attempt, Math.min(delayMs * 2, MAX_DELAY_MS), attempts + 1));
              }
            });
  }

  private static boolean isFinal(Attempt<?> attempt, Throwable failure, int attempts) {
    return attempt.stopped().getAsBoolean()
        || switch (Failures.classify(failure)) {
          case REFUSAL -> true;
          case BUG -> attempts >= BUG_ATTEMPTS;
          case OUTAGE -> false;
        };
  }
}
