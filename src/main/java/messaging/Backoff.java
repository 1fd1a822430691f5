package messaging;

import codec.TradeJson;
import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import logging.Correlation;
import metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an action that failed for a transient reason (broker or database outage) with exponential
 * back-off, until it succeeds or the owner stops. Such failures are not poison: the record waits.
 * A refusal or a crash of the handler on the event bus is final and is not retried: see {@link #refusal}.
 */
public final class Backoff {
  private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);
  private static final long FIRST_DELAY_MS = 100;
  private static final long MAX_DELAY_MS = 5_000;

  private Backoff() {}

  /**
   * @param correlationId the id the retry warnings carry: the item's, or the first item's of a run
   */
  public static <T> Future<T> retry(Vertx vertx, String what, String correlationId, Supplier<Future<T>> action,
      BooleanSupplier stopped) {
    Promise<T> result = Promise.promise();
    attempt(vertx, new Attempt(what, correlationId), action, stopped, result, FIRST_DELAY_MS);
    return result.future();
  }

  /**
   * Why retrying cannot help, or null for a failure worth retrying (an outage: 503, a timeout, no handler).
   * A handler that crashed on this input (500) would crash again: the record is dead-lettered with the crash
   * as its reason rather than stalling its partition. A 4xx is a handler's refusal.
   */
  public static Violation refusal(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == 500) {
      return Violation.of(ErrorCode.INTERNAL_ERROR, null, reply.getMessage());
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() >= 400 && reply.failureCode() < 500) {
      try {
        return TradeJson.violationFromJson(new JsonObject(reply.getMessage()));
      } catch (RuntimeException notJson) {
        return Violation.of(ErrorCode.INVALID_FIELD, null, reply.getMessage());
      }
    }
    return null;
  }

  /** What is retried, for the warnings. */
  private record Attempt(String what, String correlationId) {}

  private static <T> void attempt(Vertx vertx, Attempt what, Supplier<Future<T>> action, BooleanSupplier stopped,
      Promise<T> result, long delayMs) {
    action.get().onComplete(done -> {
      if (done.succeeded()) {
        result.complete(done.result());
      } else if (stopped.getAsBoolean() || refusal(done.cause()) != null) {
        result.fail(done.cause());
      } else {
        Correlation.log(what.correlationId(), () -> LOG.warn("{} failed, retrying in {} ms: {}", what.what(), delayMs,
            done.cause().getMessage()));
        Meters.retried();
        vertx.setTimer(delayMs, id -> attempt(vertx, what, action, stopped, result, Math.min(delayMs * 2, MAX_DELAY_MS)));
      }
    });
  }
}
