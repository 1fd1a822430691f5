package verticles;

import codec.Outcomes;
import contract.Addresses;
import contract.Headers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;
import logging.Correlation;
import org.slf4j.Logger;

/**
 * The one way persistence verticles answer on the bus. A refusal is an outcome inside a successful reply;
 * {@code fail} means only "could not decide": {@link #UNAVAILABLE} (an outage, the sender retries) or
 * {@link #CRASHED} (a bug on this input, the sender must not retry it forever).
 */
final class Answering {
  static final int UNAVAILABLE = 503;
  static final int CRASHED = 500;

  private Answering() {}

  /** A handler that throws still answers, so its sender does not wait for the timeout and retry. */
  static <T> Handler<Message<T>> always(Logger log, Handler<Message<T>> handler) {
    return message -> {
      Correlation.enter(message.headers().get(Headers.CORRELATION_ID));
      try {
        handler.handle(message);
      } catch (RuntimeException e) {
        log.error("handler of {} crashed", message.address(), e);
        message.fail(CRASHED, "handler of " + message.address() + " crashed: " + e);
      }
    };
  }

  static void unavailable(Message<?> message, String what, String correlationId, Throwable failure, Logger log) {
    Correlation.log(correlationId, () -> log.warn("{} not stored, store unavailable: {}", what, failure.getMessage()));
    message.fail(UNAVAILABLE, what + " not stored, store unavailable: " + failure.getMessage());
  }

  /**
   * Queues one item, or a run of items as one unit, and replies once every outcome is known; an outage fails
   * the whole message (503), and its sender retries it.
   */
  static void answerItems(Message<JsonObject> message, BiFunction<JsonObject, GroupCommit.Unit, Future<JsonObject>> queue,
      Logger log) {
    JsonArray items = message.body().getJsonArray(Outcomes.ITEMS);
    Future<JsonObject> reply;
    if (items == null) {
      reply = queue.apply(message.body(), null);
    } else {
      GroupCommit.Unit unit = new GroupCommit.Unit();
      List<Future<JsonObject>> outcomes = items.stream().map(item -> queue.apply((JsonObject) item, unit)).toList();
      reply = Future.all(outcomes).map(done -> new JsonObject().put(Outcomes.OUTCOMES,
          new JsonArray(outcomes.stream().map(Future::result).toList())));
    }
    reply.onSuccess(message::reply).onFailure(e -> unavailable(message,
        items == null ? message.address() + " item" : "run of " + items.size() + " items on " + message.address(),
        message.headers().get(Headers.CORRELATION_ID), e, log));
  }
}
