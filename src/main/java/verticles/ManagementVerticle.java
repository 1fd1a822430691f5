package verticles;

import contract.ConfigKeys;
import http.ApiContract;
import http.ApiDocs;
import http.RouteModule;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import node.BoundPorts;
import node.Readiness;
import security.Tls;
import settings.ManagementSettings;

/**
 * The management port (MANAGEMENT_PORT), kept off the public network: {@code /health/live}, {@code
 * /health/ready} (the cluster is safe and the node is not shutting down; deployed after every other
 * verticle of the node, so it answers only once they all started) and {@code /metrics} for
 * Prometheus. Deployed on a node without the {@code api} role, and on every node with
 * METRICS_ON_MANAGEMENT_PORT (outside dev mode), which also moves the API docs ({@code /docs}, with
 * the {@code /openapi.yaml} they read) here.
 */
public final class ManagementVerticle extends VerticleBase {
  private static final String JSON = "application/json";

  private HttpServer server;
  private HealthChecks checks;

  @Override
  public Future<?> start() {
    ManagementSettings settings = ManagementSettings.from(config());
    return ApiDocs.load(vertx, settings.docsEnabled()).compose(docs -> listen(settings, docs));
  }

  private Future<HttpServer> listen(ManagementSettings settings, RouteModule docs) {
    checks = Readiness.nodeChecks(vertx);
    Router router = Router.router(vertx);
    router
        .get("/health/live")
        .handler(ctx -> ctx.response().putHeader("content-type", JSON).end("{\"status\":\"UP\"}"));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    if (settings.docsEnabled()) {
      docs.mount(router, null);
      router
          .get(ApiContract.PATH)
          .handler(
              ctx ->
                  ctx.response()
                      .putHeader("content-type", "application/yaml")
                      .sendFile(ApiContract.RESOURCE)
                      .onFailure(ctx::fail));
    }
    server =
        vertx.createHttpServer(Tls.apply(new HttpServerOptions(), config())).requestHandler(router);
    return server
        .listen(BoundPorts.listenPort(settings.port(), 3), settings.host())
        .onSuccess(
            listening ->
                BoundPorts.record(vertx, ConfigKeys.MANAGEMENT_PORT, listening.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  private void ready(RoutingContext ctx) {
    if (Readiness.draining(vertx)) {
      ctx.response()
          .setStatusCode(503)
          .putHeader("content-type", JSON)
          .end("{\"status\":\"DOWN\",\"reason\":\"shutting down\"}");
      return;
    }
    checks
        .checkStatus()
        .onSuccess(
            result ->
                ctx.response()
                    .setStatusCode(result.getUp() ? 200 : 503)
                    .putHeader("content-type", JSON)
                    .end(result.toJson().encode()))
        .onFailure(ctx::fail);
  }
}
