package http;

import cache.RedisCache;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;
import messaging.KafkaConfigs;
import node.Readiness;

/**
 * Health endpoints. {@code /api/v1/health} reports every dependency, each probed with its own
 * timeout; it answers 503 when a required one (PostgreSQL, Kafka) is down, and "degraded" when only
 * an optional one (MongoDB audit, Redis cache) is. {@code /health/live} says the event loop
 * answers; {@code /health} (seed 002's path) answers the same as {@code /api/v1/health}. {@code
 * /health/ready} says the required dependencies answer, the cluster is safe when clustered, and the
 * node is not shutting down. Each report answers every request for HEALTH_CACHE_MS, so a flood of
 * probes costs the backends one check per interval.
 */
public final class HealthRoutes implements RouteModule {
  private static final Set<String> REQUIRED = Set.of("postgres", "kafka");

  private final Vertx vertx;
  private final HealthChecks all;
  private final HealthChecks required;
  private final KafkaAdminClient kafka;
  private final RedisCache redis;
  private final SharedAnswer<CheckResult> allReport;
  private final SharedAnswer<CheckResult> requiredReport;

  /**
   * @param kafka from {@link #kafkaAdmin}, closed with these routes
   * @param reuseMs how long one report answers every request (HEALTH_CACHE_MS)
   */
  public HealthRoutes(
      Vertx vertx,
      Pool pool,
      MongoClient mongo,
      RedisCache redis,
      KafkaAdminClient kafka,
      long timeout,
      long reuseMs) {
    this.kafka = kafka;
    this.redis = redis;
    this.vertx = vertx;
    this.all = HealthChecks.create(vertx);
    this.required = Readiness.nodeChecks(vertx);
    this.allReport = new SharedAnswer<>(reuseMs);
    this.requiredReport = new SharedAnswer<>(reuseMs);
    for (HealthChecks checks : List.of(all, required)) {
      checks.register(
          "postgres", timeout, promise -> probe(promise, pool.query("SELECT 1").execute()));
      checks.register("kafka", timeout, promise -> probe(promise, kafka.describeCluster()));
    }
    all.register(
        "mongodb",
        timeout,
        promise -> probe(promise, mongo.runCommand("ping", new JsonObject().put("ping", 1))));
    all.register("redis", timeout, promise -> probe(promise, redis.ping()));
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/v1/health").handler(this::health);
    router.get("/health").handler(this::health); // seed 002 serves it at the root
    router
        .get("/health/live")
        .handler(ctx -> Json.respond(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  /**
   * The admin client the Kafka check asks, made on a worker: building a Kafka client is blocking
   * work.
   */
  public static Future<KafkaAdminClient> kafkaAdmin(
      Vertx vertx, JsonObject clients, long timeoutMs) {
    return vertx.executeBlocking(
        () -> KafkaAdminClient.create(vertx, KafkaConfigs.admin(clients, timeoutMs)));
  }

  @Override
  public Future<Void> close() {
    return kafka.close();
  }

  private void health(RoutingContext ctx) {
    allReport
        .get(all::checkStatus)
        .onSuccess(
            result -> {
              JsonObject services = new JsonObject();
              result.toJson().getJsonArray("checks", new JsonArray()).stream()
                  .map(JsonObject.class::cast)
                  .forEach(
                      check ->
                          services.put(
                              check.getString("id"),
                              "UP".equals(check.getString("status")) ? "up" : "down"));
              boolean requiredUp =
                  REQUIRED.stream().allMatch(name -> "up".equals(services.getString(name)));
              String status = !requiredUp ? "unhealthy" : result.getUp() ? "healthy" : "degraded";
              Json.respond(
                  ctx,
                  requiredUp ? 200 : 503,
                  new JsonObject().put("status", status).put("services", services));
            })
        .onFailure(ctx::fail);
  }

  private void ready(RoutingContext ctx) {
    if (Readiness.draining(vertx)) {
      Json.respond(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "shutting down"));
      return;
    }
    requiredReport
        .get(required::checkStatus)
        .onSuccess(result -> Json.respond(ctx, result.getUp() ? 200 : 503, result.toJson()))
        .onFailure(ctx::fail);
  }

  private static void probe(Promise<Status> promise, Future<?> check) {
    check.onComplete(done -> promise.tryComplete(done.succeeded() ? Status.OK() : Status.KO()));
  }
}
