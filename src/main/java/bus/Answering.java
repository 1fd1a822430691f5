package bus;

import batching.GroupCommit;
import codec.Outcomes;
import contract.Headers;
import failures.Failures;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;
import logging.Correlation;
import metrics.Meters;
import org.slf4j.Logger;

/**
 * The one way bus handlers answer: a handler's future becomes a reply by the one failure policy
 * ({@link Failures}). A value is the reply; a refusal is an outcome inside a successful reply
 * ({@link Outcomes#refused}); {@code fail} means only "could not decide": {@value
 * Failures#UNAVAILABLE} for an outage (the sender retries) or {@value Failures#CRASHED} for a bug
 * (the sender must not retry it forever).
 */
public final class Answering {
  private Answering() {}

  /**
   * A handler that throws still answers, as a bug, so its sender does not wait for the timeout and
   * retry.
   */
  public static <T> Handler<Message<T>> always(Logger log, Handler<Message<T>> handler) {
    return message -> {
      Correlation.enter(message.headers().get(Headers.CORRELATION_ID));
      try {
        handler.handle(message);
      } catch (RuntimeException e) {
        crashed(message, "handler of " + message.address(), e, log);
      }
    };
  }

  /**
   * Replies with the outcome of {@code handled}: its value, a refusal, or a failure the sender can
   * act on.
   *
   * @param what the request, for the logs
   */
  public static void reply(
      Message<?> message, Future<JsonObject> handled, String what, Logger log) {
    handled.onSuccess(message::reply).onFailure(failure -> fail(message, what, failure, log));
  }

  /** Answers a failure: a refusal as an outcome, an outage or a bug as a failed reply. */
  public static void fail(Message<?> message, String what, Throwable failure, Logger log) {
    switch (Failures.classify(failure)) {
      case REFUSAL -> message.reply(Outcomes.refused(Failures.refusal(failure)));
      case OUTAGE -> {
        Correlation.log(
            message.headers().get(Headers.CORRELATION_ID),
            () -> log.warn("{} not stored, store unavailable: {}", what, failure.getMessage()));
        message.fail(
            Failures.UNAVAILABLE, what + " not stored, store unavailable: " + failure.getMessage());
      }
      case BUG -> crashed(message, what, failure, log);
    }
  }

  private static void crashed(Message<?> message, String what, Throwable bug, Logger log) {
    log.error("{} crashed", what, bug);
    Meters.bug("bus");
    message.fail(Failures.CRASHED, what + " crashed: " + bug);
  }

  /**
   * Queues one item, or a run of items as one unit, and replies once every outcome is known; a
   * failure fails the whole message by {@link #fail}, and its sender retries an outage.
   */
  public static void answerItems(
      Message<JsonObject> message,
      BiFunction<JsonObject, GroupCommit.Unit, Future<JsonObject>> queue,
      Logger log) {
    JsonArray items = message.body().getJsonArray(Outcomes.ITEMS);
    Future<JsonObject> reply;
    if (items == null) {
      reply = queue.apply(message.body(), null);
    } else {
      GroupCommit.Unit unit = new GroupCommit.Unit();
      List<Future<JsonObject>> outcomes =
          items.stream().map(item -> queue.apply((JsonObject) item, unit)).toList();
      reply =
          Future.all(outcomes)
              .map(
                  done ->
                      new JsonObject()
                          .put(
                              Outcomes.OUTCOMES,
                              new JsonArray(outcomes.stream().map(Future::result).toList())));
    }
    reply(
        message,
        reply,
        items == null
            ? message.address() + " item"
            : "run of " + items.size() + " items on " + message.address(),
        log);
  }
}
