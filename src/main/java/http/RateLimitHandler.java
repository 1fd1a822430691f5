package http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import security.RateLimiter;

/**
 * The rate limit in front of every route: a request over its client's limit fails with 429 and a Retry-After
 * header (the error body is {@link ApiErrors}'s). The client is the peer address. The bucket may live in Redis,
 * so the request waits paused for its answer ({@link PausedRequests}).
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private final RateLimiter limiter;

  public RateLimitHandler(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    PausedRequests.holdUntil(ctx, limiter.take(ctx.request().remoteAddress().hostAddress())).onComplete(decided -> {
      RateLimiter.Decision decision = decided.succeeded() ? decided.result() : RateLimiter.Decision.ALLOWED;
      if (decision.allowed()) {
        ctx.next();
      } else {
        ctx.response().putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        ctx.fail(429);
      }
    });
  }
}
