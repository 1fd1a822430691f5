package http;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import push.QuoteProtocol;
import push.QuoteRelay;
import security.Origins;

/**
 * {@code GET /ws/quotes} on the API port: the upgrade is relayed to a push server ({@link
 * QuoteRelay}). Through the router, so a request that is no upgrade, or finds no push server, gets
 * the usual JSON error; a browser page from an origin not allowed is refused here (403), since the
 * push server sees only the relay. A token, when reads need one, is checked by the access control
 * in front of every route.
 */
public final class QuoteSocketRoutes implements RouteModule {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteSocketRoutes.class);
  private final QuoteRelay relay;
  private final Origins origins;

  public QuoteSocketRoutes(QuoteRelay relay, Origins origins) {
    this.relay = relay;
    this.origins = origins;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get(QuoteProtocol.PATH).handler(this::upgrade);
  }

  private void upgrade(RoutingContext ctx) {
    if (!origins.allows(
        ctx.request().getHeader("Origin"),
        ctx.request().getHeader("Host"),
        ctx.request().isSSL())) {
      ctx.fail(
          new ApiException(
              403,
              Violation.of(
                  ErrorCode.FORBIDDEN,
                  "Origin",
                  "this origin may not open the quotes WebSocket; see WS_ALLOWED_ORIGINS")));
      return;
    }
    relay
        .relay(ctx.request())
        .onFailure(
            e -> {
              LOG.warn(
                  "Quotes WebSocket not relayed (correlation id {}): {}",
                  CorrelationIds.of(ctx),
                  e.getMessage());
              ctx.fail(refusal(e));
            });
  }

  private static Throwable refusal(Throwable failure) {
    int status = failure instanceof QuoteRelay.NotRelayed notRelayed ? notRelayed.status() : 503;
    return switch (status) {
      case 400 ->
          new ApiException(
              400, Violation.of(ErrorCode.MALFORMED_REQUEST, "upgrade", failure.getMessage()));
      case 401 ->
          new ApiException(
              401,
              Violation.of(
                  ErrorCode.UNAUTHORIZED, "Authorization", "the push server refused the token"));
      case 403 ->
          new ApiException(
              403,
              Violation.of(ErrorCode.FORBIDDEN, "Origin", "the push server refused this client"));
      case 429 ->
          new ApiException(
              429,
              Violation.of(
                  ErrorCode.RATE_LIMITED,
                  null,
                  "this client holds as many quotes WebSockets as it may"
                      + " (WS_MAX_CONNECTIONS_PER_CLIENT)"));
      default -> ApiException.unavailable("no quotes server took the connection; retry shortly");
    };
  }

  @Override
  public Future<Void> close() {
    return relay.close();
  }
}
