package failures;

import codec.TradeJson;
import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import store.StoreFailures;

/**
 * The one failure policy, shared by the HTTP edge, the bus handlers, the Kafka consumers and the
 * retry loop:
 *
 * <ul>
 *   <li>a {@link Kind#REFUSAL} (the input is wrong) is answered 4xx or dead-lettered, never
 *       retried;
 *   <li>an {@link Kind#OUTAGE} (a dependency is down, overloaded or slow) is answered 503 or
 *       retried with back-off;
 *   <li>a {@link Kind#BUG} (anything else) is answered 500, or retried a bounded number of times
 *       and then dead-lettered with reason {@code bug}, so that it gets fixed instead of retried
 *       forever.
 * </ul>
 */
public final class Failures {
  /** What a failure means for whoever waits on it. */
  public enum Kind {
    REFUSAL,
    OUTAGE,
    BUG
  }

  /** The code a bus handler fails with when a dependency is down: its sender retries. */
  public static final int UNAVAILABLE = 503;

  /** The code a bus handler fails with when it crashed: its sender must not retry it forever. */
  public static final int CRASHED = 500;

  private Failures() {}

  /**
   * Work a stopping owner did not start: an outage of this node, left for redelivery to the next
   * owner.
   */
  public static final class Stopping extends RuntimeException {
    public Stopping(String what) {
      super(what + ": stopping, left for redelivery", null, false, false);
    }
  }

  public static Kind classify(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return replyKind(reply);
    }
    if (failure instanceof Stopping) {
      return Kind.OUTAGE;
    }
    if (failure instanceof ViolationException || StoreFailures.isBadData(failure)) {
      return Kind.REFUSAL;
    }
    return Outages.isOutage(failure) ? Kind.OUTAGE : Kind.BUG;
  }

  /**
   * A handler on the bus answered a failure: 4xx is its refusal, 500 its crash; 503, a timeout or
   * no handler deployed are outages.
   */
  private static Kind replyKind(ReplyException reply) {
    if (reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return Kind.OUTAGE;
    }
    int code = reply.failureCode();
    if (code >= 400 && code < 500) {
      return Kind.REFUSAL;
    }
    return code == CRASHED ? Kind.BUG : Kind.OUTAGE;
  }

  /**
   * Why a failure is final, as the violation a dead letter carries: the refusal, or an internal
   * error with reason {@code bug: …}; null for an outage, which is worth retrying.
   */
  public static Violation finalReason(Throwable failure) {
    return switch (classify(failure)) {
      case REFUSAL -> refusal(failure);
      case BUG -> Violation.of(ErrorCode.INTERNAL_ERROR, null, "bug: " + failure);
      case OUTAGE -> null;
    };
  }

  /** The violation of a refusal (a {@link #classify} of {@link Kind#REFUSAL}). */
  public static Violation refusal(Throwable failure) {
    if (failure instanceof ViolationException e) {
      return e.violation();
    }
    if (failure instanceof ReplyException reply) {
      return replyRefusal(reply);
    }
    return StoreFailures.refusal(failure);
  }

  /**
   * The violation a bus handler refused with; a refusal whose body is not one still keeps the
   * handler's words.
   */
  private static Violation replyRefusal(ReplyException reply) {
    try {
      return TradeJson.violationFromJson(new JsonObject(reply.getMessage()));
    } catch (RuntimeException notAViolation) {
      return Violation.of(
          reply.failureCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.INVALID_FIELD,
          null,
          reply.getMessage());
    }
  }
}
