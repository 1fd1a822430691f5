package http;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import push.QuoteProtocol;
import push.QuoteRelay;

/**
 * {@code GET /ws/quotes} on the API port: the upgrade is relayed to a push server ({@link QuoteRelay}).
 * Through the router, so a request that is no upgrade, or finds no push server, gets the usual JSON error.
 */
public final class QuoteSocketRoutes implements RouteModule {
  private final QuoteRelay relay;

  public QuoteSocketRoutes(QuoteRelay relay) {
    this.relay = relay;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get(QuoteProtocol.PATH).handler(this::upgrade);
  }

  private void upgrade(RoutingContext ctx) {
    relay.relay(ctx.request()).onFailure(e -> ctx.fail(e instanceof QuoteRelay.NotRelayed notRelayed && notRelayed.clientsFault()
        ? new ApiException(400, Violation.of(ErrorCode.MALFORMED_REQUEST, "upgrade", e.getMessage()))
        : ApiException.unavailable(e.getMessage())));
  }

  @Override
  public Future<Void> close() {
    return relay.close();
  }
}
