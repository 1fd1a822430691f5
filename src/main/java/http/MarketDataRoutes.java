package http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** Placeholder: quotes, portfolio and the dashboard page (issue 5). */
public final class MarketDataRoutes implements RouteModule {
  public MarketDataRoutes(Vertx vertx, JsonObject config) {}

  @Override
  public void mount(Router router, BodyHandler body) {}
}
