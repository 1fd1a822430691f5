package http;

import contract.ConfigKeys;
import domain.QuoteSymbols;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import metrics.Meters;
import metrics.MetricsRegistry;
import node.BoundPorts;
import push.QuoteProtocol;
import settings.ApiSettings;
import store.QuoteStore;

/**
 * The live dashboard: a static page at / (webroot/; the build adds the chart library under
 * assets/vendor), the settings it needs, and this node's operational meters as one small JSON
 * document.
 */
public final class DashboardRoutes {
  private static final String WEBROOT = "webroot";
  private static final int DEFAULT_SYMBOLS = 20;
  private static final String KAFKA_LAG_MAX = "kafka.consumer.fetch.manager.records.lag.max";
  private static final String HTTP_SERVER_TIME = "vertx.http.server.response.time";
  private static final String TRADES_ROUTE = "/api/v1/trades";

  private final Vertx vertx;
  private final QuoteStore store;
  private final ApiSettings settings;

  public DashboardRoutes(Vertx vertx, QuoteStore store, ApiSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
  }

  public void mount(Router router) {
    router
        .get("/")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/html; charset=utf-8")
                    .sendFile(WEBROOT + "/index.html")
                    .onFailure(ctx::fail));
    // StaticHandler resolves the path below the route's prefix, so /assets/x is webroot/assets/x
    router
        .get("/assets/*")
        .handler(StaticHandler.create(WEBROOT + "/assets").setCachingEnabled(false));
    router.get("/api/v1/dashboard/config").handler(this::dashboardConfig);
    router.get("/api/v1/dashboard/ops").handler(this::operations);
  }

  /**
   * This JVM's meters as running totals and current levels; the page turns totals into rates and
   * the latency histogram into a recent p99 by differencing two samples, so the answer holds no
   * state and costs a registry walk.
   */
  private void operations(RoutingContext ctx) {
    MeterRegistry registry = MetricsRegistry.get();
    JsonObject trades = new JsonObject();
    registry
        .find(Meters.TRADES_PROCESSED)
        .counters()
        .forEach(
            c -> {
              String source = c.getId().getTag("source");
              trades.put(source, trades.getDouble(source, 0d) + c.count());
            });
    JsonObject deadLetters = new JsonObject();
    registry
        .find(Meters.DLQ_SENDS)
        .counters()
        .forEach(c -> deadLetters.put(c.getId().getTag("topic"), c.count()));
    double lag =
        registry.find(KAFKA_LAG_MAX).gauges().stream()
            .mapToDouble(g -> g.value())
            .filter(Double::isFinite)
            .max()
            .orElse(0);
    Json.respond(
        ctx,
        200,
        new JsonObject()
            .put("timestamp_ms", System.currentTimeMillis())
            .put("trades_processed", trades)
            .put(
                "records_ingested",
                registry.find(Meters.RECORDS_INGEST_BATCH_SIZE).summaries().stream()
                    .mapToDouble(s -> s.totalAmount())
                    .sum())
            .put("kafka_lag_max", lag)
            .put("outbox_backlog_rows", gaugeSum(registry, Meters.OUTBOX_BACKLOG))
            .put("dead_letters", deadLetters)
            .put("ws_connections", gaugeSum(registry, Meters.WS_CONNECTIONS))
            .put(
                "trade_post_latency",
                latencyBuckets(
                    registry
                        .find(HTTP_SERVER_TIME)
                        .tags("route", TRADES_ROUTE, "method", "POST")
                        .timers())));
  }

  private static double gaugeSum(MeterRegistry registry, String name) {
    return registry.find(name).gauges().stream()
        .mapToDouble(g -> g.value())
        .filter(Double::isFinite)
        .sum();
  }

  /**
   * Cumulative counts per upper bound in seconds, summed over the status codes: {"count",
   * "buckets": [[le, n]…]}.
   */
  private static JsonObject latencyBuckets(Collection<Timer> timers) {
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    long count = 0;
    for (Timer timer : timers) {
      count += timer.count();
      for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
        cumulative.merge(bucket.bucket(TimeUnit.SECONDS), bucket.count(), Double::sum);
      }
    }
    JsonArray buckets = new JsonArray();
    cumulative.forEach((le, n) -> buckets.add(new JsonArray().add(le).add(n)));
    return new JsonObject().put("count", count).put("buckets", buckets);
  }

  /** Before the first tick of a fresh dev run, the symbols the simulator is about to quote. */
  private List<String> simulatedSymbols(int limit) {
    if (!settings.quotes().simulatorOn()) {
      return List.of();
    }
    List<String> symbols =
        QuoteSymbols.fromCsv(settings.quotes().simulatorSymbols(), Integer.MAX_VALUE);
    return symbols.subList(0, Math.min(limit, symbols.size()));
  }

  /**
   * Where the quotes WebSocket listens (its own port), and the most recently updated symbols to
   * show.
   */
  private void dashboardConfig(RoutingContext ctx) {
    int limit = Math.min(DEFAULT_SYMBOLS, settings.webSocket().maxSymbols());
    store
        .recentSymbols(limit)
        .map(recent -> recent.isEmpty() ? simulatedSymbols(limit) : recent)
        .onSuccess(
            symbols ->
                Json.respond(
                    ctx,
                    200,
                    new JsonObject()
                        .put(
                            "quotes_ws_port",
                            BoundPorts.resolve(
                                vertx, ConfigKeys.PUSH_HTTP_PORT, settings.quotes().pushPort()))
                        .put("quotes_ws_path", QuoteProtocol.PATH)
                        .put("max_symbols", settings.webSocket().maxSymbols())
                        .put("symbols", new JsonArray(symbols))
                        .put("statistics_path", "/api/v1/statistics")))
        .onFailure(ctx::fail);
  }
}
