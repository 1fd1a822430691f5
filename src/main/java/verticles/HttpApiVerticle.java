package verticles;

import cache.RedisCache;
import contract.ConfigKeys;
import http.ApiContract;
import http.ApiDocs;
import http.ApiErrors;
import http.AuditRoutes;
import http.CorrelationIds;
import http.HealthRoutes;
import http.LedgerRoutes;
import http.MarketDataRoutes;
import http.QuoteSocketRoutes;
import http.RateLimitHandler;
import http.RecordRoutes;
import http.RequestGuards;
import http.ResourceRoutes;
import http.RouteModule;
import http.SecurityHeaders;
import http.StatisticsRoutes;
import http.TradeRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mongo.AuditQueries;
import mongo.MongoClients;
import node.BoundPorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import push.QuoteRelay;
import resources.FinPulse;
import security.AccessControl;
import security.ClientAddresses;
import security.Cors;
import security.Origins;
import security.RateLimiter;
import security.Tls;
import security.Tokens;
import settings.ApiSettings;
import store.PgPools;
import store.RecordStore;
import store.TradeStore;

/**
 * The REST API: validates requests against the OpenAPI contract, sends writes over the event bus,
 * and maps every failure to JSON. Its port also serves {@code /ws/quotes}, relayed to a push server
 * ({@link QuoteRelay}, {@link QuoteSocketRoutes}).
 */
public final class HttpApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);

  private final Clock clock;
  private Pool pool;
  private MongoClient mongo;
  private List<RouteModule> modules;
  private Router router;
  private HttpServer server;
  private RateLimiter rateLimiter;

  /**
   * One Redis client for every route module of this instance, and the rate limit's buckets when
   * clustered.
   */
  private RedisCache redis;

  private long forgetTimer = -1;
  private ApiSettings settings;

  /**
   * @param clock whose date is "today" for the trade rules
   */
  public HttpApiVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    settings = ApiSettings.from(config());
    return Future.all(
            ApiContract.load(vertx),
            ApiDocs.load(vertx, settings.docsEnabled() && !settings.metricsOnManagementPort()),
            RecordRoutes.ingressProducer(vertx, config(), settings),
            HealthRoutes.kafkaAdmin(vertx, config(), settings.healthCheckTimeoutMs()))
        .compose(
            loaded ->
                listen(
                    loaded.resultAt(0),
                    loaded.resultAt(1),
                    loaded.resultAt(2),
                    loaded.resultAt(3)));
  }

  private Future<HttpServer> listen(
      ApiContract contract,
      RouteModule docs,
      KafkaProducer<String, String> records,
      KafkaAdminClient kafkaAdmin) {
    pool = PgPools.shared(vertx, config(), "http-api");
    mongo = MongoClients.shared(vertx, config(), "http-api");
    redis = RedisCache.create(vertx, config(), "the HTTP API");
    TradeStore trades = new TradeStore(pool);
    AuditQueries audit = new AuditQueries(mongo);
    modules =
        List.of(
            new TradeRoutes(vertx, trades, settings, clock),
            new AuditRoutes(audit),
            new StatisticsRoutes(vertx, trades, audit, settings),
            new HealthRoutes(
                vertx,
                pool,
                mongo,
                redis,
                kafkaAdmin,
                settings.healthCheckTimeoutMs(),
                settings.healthCacheMs()),
            new RecordRoutes(new RecordStore(pool), records, settings),
            new MarketDataRoutes(vertx, pool, redis, settings),
            new LedgerRoutes(vertx, pool, redis, settings),
            new ResourceRoutes(vertx, pool, FinPulse.ALL, settings),
            new QuoteSocketRoutes(
                new QuoteRelay(
                    vertx,
                    settings.webSocket().maxMessageBytes(),
                    settings.webSocket().pingIntervalMs(),
                    this::quotesUpstream),
                Origins.of(settings.webSocket().allowedOrigins())),
            contract,
            docs);
    rateLimiter =
        RateLimiter.create(
            vertx, config(), RateLimiter.sharedThroughRedis(vertx, config()) ? redis : null);
    router = router(contract);
    server =
        vertx.createHttpServer(
            Tls.apply(
                new HttpServerOptions()
                    .setCompressionSupported(true)
                    .setWebSocketSubProtocols(List.of(Tokens.WEBSOCKET_BEARER)),
                config()));
    return server
        .requestHandler(router)
        .invalidRequestHandler(RequestGuards::invalidRequest)
        .listen(BoundPorts.listenPort(settings.port(), 1), settings.host())
        .onSuccess(server -> BoundPorts.record(vertx, ConfigKeys.HTTP_PORT, server.actualPort()));
  }

  /** The routes this verticle serves, for the check that they and the contract agree. */
  public List<Route> routes() {
    return router.getRoutes();
  }

  /**
   * Before any route: CORS (preflights answer here), then the token, the per-client rate limit, the
   * scopes. A step here that waits for anything holds the request paused meanwhile ({@link
   * http.PausedRequests}), so the body handler and the WebSocket relay behind it still find the
   * body and the upgrade.
   */
  private void guard(Router router, ApiContract contract) {
    Cors.handler(settings.corsAllowedOrigins()).ifPresent(cors -> router.route().handler(cors));
    RateLimitHandler rateLimit = null;
    if (rateLimiter != null) {
      rateLimit =
          new RateLimitHandler(
              rateLimiter,
              ClientAddresses.trusting(settings.trustedProxies()),
              contract::accessRule);
      forgetTimer = vertx.setPeriodic(60_000, id -> rateLimiter.forgetIdleClients());
    }
    AccessControl.create(vertx, config(), contract::accessRule).mount(router, rateLimit);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(forgetTimer);
    // No new connections; requests in flight get their answers, within a quarter of the shutdown
    // deadline
    return server
        .shutdown(settings.shutdownDrainMs(), TimeUnit.MILLISECONDS)
        .eventually(() -> Future.join(modules.stream().map(RouteModule::close).toList()))
        .eventually(() -> Future.join(pool.close(), mongo.close(), redis.close()));
  }

  /** API_WS_UPSTREAM when set, else this JVM's push server; null when neither exists. */
  private HostAndPort quotesUpstream() {
    String configured = settings.quotes().wsUpstream();
    if (!configured.isBlank()) {
      return HostAndPort.parseAuthority(configured.strip(), -1);
    }
    Integer port = BoundPorts.bound(vertx, ConfigKeys.PUSH_HTTP_PORT);
    String host = settings.host();
    return port == null
        ? null
        : HostAndPort.create(
            host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host, port);
  }

  private Router router(ApiContract contract) {
    Router router = Router.router(vertx);
    SecurityHeaders.mount(router);
    router.route().handler(CorrelationIds::handler);
    router.route().handler(RequestGuards::decodableUri);
    guard(router, contract);
    router.route().handler(contract::validate);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.bodyLimitBytes());
    modules.forEach(module -> module.mount(router, body));
    // routed either way, so the routes match the contract; off this port, a 404 like an unknown
    // path
    router
        .get("/metrics")
        .handler(
            settings.metricsOnManagementPort()
                ? ctx -> ctx.fail(404)
                : PrometheusScrapingHandler.create());
    router.route().failureHandler(ApiErrors::handle);
    router.errorHandler(404, ApiErrors::handle);
    router.errorHandler(405, ApiErrors::handle);
    List<String> disagreements = contract.disagreements(router.getRoutes());
    if (!disagreements.isEmpty()) {
      LOG.warn(
          "Routes and {} disagree (unlisted routes go unvalidated): {}",
          ApiContract.RESOURCE,
          disagreements);
    }
    return router;
  }
}
