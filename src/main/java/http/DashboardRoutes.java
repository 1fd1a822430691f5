package http;

import contract.ConfigKeys;
import domain.QuoteSymbols;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import push.QuoteProtocol;
import store.QuoteStore;

/** The live dashboard: a static page at / (webroot/, no build step) and the settings it needs. */
public final class DashboardRoutes {
  private static final String WEBROOT = "webroot";
  private static final int DEFAULT_SYMBOLS = 20;

  private final Vertx vertx;
  private final QuoteStore store;
  private final JsonObject config;

  public DashboardRoutes(Vertx vertx, QuoteStore store, JsonObject config) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
  }

  public void mount(Router router) {
    router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
        .sendFile(WEBROOT + "/index.html").onFailure(ctx::fail));
    // StaticHandler resolves the path below the route's prefix, so /assets/x is webroot/assets/x
    router.get("/assets/*").handler(StaticHandler.create(WEBROOT + "/assets").setCachingEnabled(false));
    router.get("/api/v1/dashboard/config").handler(this::settings);
  }

  /** Before the first tick of a fresh dev run, the symbols the simulator is about to quote. */
  private List<String> simulatedSymbols(int limit) {
    if (!config.getBoolean(ConfigKeys.QUOTE_SIMULATOR)) {
      return List.of();
    }
    List<String> symbols = QuoteSymbols.fromCsv(config.getString(ConfigKeys.QUOTE_SIMULATOR_SYMBOLS), Integer.MAX_VALUE);
    return symbols.subList(0, Math.min(limit, symbols.size()));
  }

  /** Where the quotes WebSocket listens (its own port), and the most recently updated symbols to show. */
  private void settings(RoutingContext ctx) {
    int limit = Math.min(DEFAULT_SYMBOLS, config.getInteger(ConfigKeys.WS_MAX_SYMBOLS));
    store.recentSymbols(limit)
        .map(recent -> recent.isEmpty() ? simulatedSymbols(limit) : recent)
        .onSuccess(symbols -> Json.respond(ctx, 200, new JsonObject()
            .put("quotes_ws_port", BoundPorts.resolve(vertx, config, ConfigKeys.PUSH_HTTP_PORT))
            .put("quotes_ws_path", QuoteProtocol.PATH)
            .put("max_symbols", config.getInteger(ConfigKeys.WS_MAX_SYMBOLS))
            .put("symbols", new JsonArray(symbols))
            .put("statistics_path", "/api/v1/statistics")))
        .onFailure(ctx::fail);
  }
}
