package verticles;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
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
      try {
        handler.handle(message);
      } catch (RuntimeException e) {
        log.error("[corr={}] handler of {} crashed", message.headers().get(Addresses.CORRELATION_ID), message.address(), e);
        message.fail(CRASHED, "handler of " + message.address() + " crashed: " + e);
      }
    };
  }

  static void unavailable(Message<?> message, String what, String correlationId, Throwable failure, Logger log) {
    log.warn("[corr={}] {} not stored, store unavailable: {}", correlationId, what, failure.getMessage());
    message.fail(UNAVAILABLE, what + " not stored, store unavailable: " + failure.getMessage());
  }
}
