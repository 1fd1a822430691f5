package http;

import io.vertx.core.Handler;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import security.AccessRule;
import security.ClientAddresses;
import security.RateLimiter;

/**
 * The rate limit in front of every route, after the token is checked and before its scopes are: a
 * request over its client's limit fails with 429 and a Retry-After header (the error body is {@link
 * ApiErrors}'s), and while the shared buckets cannot be read and RATE_LIMIT_WHEN_STORE_DOWN is
 * closed, with 503. The client is the token's subject when the request carried a valid one (so
 * clients behind one proxy or NAT are told apart), else its address ({@link ClientAddresses}). The
 * bucket may live in Redis, so the request waits paused for its answer ({@link PausedRequests}).
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private final RateLimiter limiter;
  private final ClientAddresses addresses;
  private final Function<RoutingContext, AccessRule> rules;

  /**
   * @param rules the rule of a request's operation, null when the contract lists none (the default
   *     bucket)
   */
  public RateLimitHandler(
      RateLimiter limiter, ClientAddresses addresses, Function<RoutingContext, AccessRule> rules) {
    this.limiter = limiter;
    this.addresses = addresses;
    this.rules = rules;
  }

  @Override
  public void handle(RoutingContext ctx) {
    AccessRule rule = rules.apply(ctx);
    RateLimiter.Tier tier = rule == null ? RateLimiter.Tier.DEFAULT : rule.tier();
    PausedRequests.holdUntil(ctx, limiter.take(tier, client(ctx)))
        .onComplete(
            decided -> {
              RateLimiter.Decision decision = decided.result();
              if (decision.allowed()) {
                ctx.next();
              } else {
                ctx.response()
                    .putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
                if (decision.storeDown()) {
                  ctx.fail(
                      ApiException.unavailable("the rate limit cannot be checked; retry shortly"));
                } else {
                  ctx.fail(429);
                }
              }
            });
  }

  private String client(RoutingContext ctx) {
    User user = ctx.user();
    String subject = user == null ? null : user.principal().getString("sub");
    return subject != null
        ? "sub:" + subject
        : addresses.clientOf(ctx.request().remoteAddress(), ctx.request().headers());
  }
}
