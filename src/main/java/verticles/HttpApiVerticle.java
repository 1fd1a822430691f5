package verticles;

import contract.ConfigKeys;
import http.ApiErrors;
import http.AuditRoutes;
import http.BoundPorts;
import http.CorrelationIds;
import http.HealthRoutes;
import http.MarketDataRoutes;
import http.RecordRoutes;
import http.RequestGuards;
import http.ResourceRoutes;
import http.RouteModule;
import http.StatisticsRoutes;
import http.TradeRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import resources.FinPulse;
import store.AuditQueries;
import store.MongoClients;
import store.PgPools;
import store.RecordStore;
import store.TradeStore;

/** The REST API: validates request shapes, sends writes over the event bus, and maps every failure to JSON. */
public final class HttpApiVerticle extends VerticleBase {
  private final Clock clock;
  private Pool pool;
  private MongoClient mongo;
  private List<RouteModule> modules;
  private HttpServer server;

  /** @param clock whose date is "today" for the trade rules */
  public HttpApiVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, config(), "http-api");
    mongo = MongoClients.shared(vertx, config(), "http-api");
    TradeStore trades = new TradeStore(pool);
    AuditQueries audit = new AuditQueries(mongo);
    modules = List.of(
        new TradeRoutes(vertx, trades, config(), clock),
        new AuditRoutes(audit),
        new StatisticsRoutes(vertx, trades, audit, config()),
        new HealthRoutes(vertx, pool, mongo, config()),
        new RecordRoutes(vertx, new RecordStore(pool), config()),
        new MarketDataRoutes(vertx, pool, config()),
        new ResourceRoutes(vertx, pool, FinPulse.ALL, config()));
    server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true));
    return server.requestHandler(router())
        .invalidRequestHandler(RequestGuards::invalidRequest)
        .listen(BoundPorts.listenPort(config().getInteger(ConfigKeys.HTTP_PORT), 1), config().getString(ConfigKeys.HTTP_HOST))
        .onSuccess(server -> BoundPorts.record(vertx, ConfigKeys.HTTP_PORT, server.actualPort()));
  }

  @Override
  public Future<?> stop() {
    // No new connections; requests in flight get their answers, within a quarter of the shutdown deadline
    long drainMs = config().getLong(ConfigKeys.SHUTDOWN_DEADLINE_MS, 20_000L) / 4;
    return server.shutdown(drainMs, TimeUnit.MILLISECONDS)
        .eventually(() -> Future.join(modules.stream().map(RouteModule::close).toList()))
        .eventually(() -> Future.join(pool.close(), mongo.close()));
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(CorrelationIds::handler);
    router.route().handler(RequestGuards::decodableUri);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config().getLong(ConfigKeys.HTTP_BODY_LIMIT_BYTES, 65_536L));
    modules.forEach(module -> module.mount(router, body));
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.route().failureHandler(ApiErrors::handle);
    router.errorHandler(404, ApiErrors::handle);
    router.errorHandler(405, ApiErrors::handle);
    return router;
  }
}
