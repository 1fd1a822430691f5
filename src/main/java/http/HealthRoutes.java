package http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/** GET /api/v1/health: each dependency checked with its own timeout; 503 when a required one is down. */
public final class HealthRoutes {
  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final HealthChecks checks;

  public HealthRoutes(Vertx vertx, Pool pool) {
    this.checks = HealthChecks.create(vertx);
    checks.register("postgres", CHECK_TIMEOUT_MS, promise -> probe(promise, pool.query("SELECT 1").execute()));
  }

  public void mount(Router router) {
    router.get("/api/v1/health").handler(this::health);
  }

  private void health(RoutingContext ctx) {
    checks.checkStatus().onSuccess(result -> {
      JsonObject services = new JsonObject();
      result.toJson().getJsonArray("checks", new JsonArray()).stream()
          .map(JsonObject.class::cast)
          .forEach(check -> services.put(check.getString("id"), "UP".equals(check.getString("status")) ? "up" : "down"));
      boolean up = result.getUp();
      Json.respond(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "healthy" : "unhealthy").put("services", services));
    }).onFailure(ctx::fail);
  }

  private static void probe(Promise<Status> promise, Future<?> check) {
    check.onComplete(done -> promise.tryComplete(done.succeeded() ? Status.OK() : Status.KO()));
  }
}
