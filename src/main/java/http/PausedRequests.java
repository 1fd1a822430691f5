package http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Asynchronous steps in front of the routes (a rate limit kept in Redis, a token check against a
 * remote key) hold the request paused until they answer. Unpaused, Vert.x reads the body, or ends
 * the upgrade request, before the body handler or the WebSocket relay is there to take it, and both
 * fail ("BodyHandler invoked after the request has ended", "Request has already been read").
 * vertx-auth's handlers do the same for themselves.
 */
public final class PausedRequests {
  private PausedRequests() {}

  /**
   * {@code step}, with the request paused until it completes and resumed before the caller's
   * handlers run. Resuming only schedules the delivery of what was held, so the next handler,
   * called at once, takes it.
   */
  public static <T> Future<T> holdUntil(RoutingContext ctx, Future<T> step) {
    HttpServerRequest request = ctx.request();
    if (step.isComplete() || request.isEnded()) {
      return step;
    }
    request.pause();
    return step.andThen(done -> request.resume());
  }
}
