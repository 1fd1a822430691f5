package http;

import codec.Outcomes;
import contract.Addresses;
import contract.ConfigKeys;
import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import store.PortfolioStore;
import store.RedisCache;

/**
 * GET /api/v1/portfolio (PostgreSQL, cached in Redis with a TTL) and POST /api/v1/seed (stores the
 * portfolio and its portfolio.seeded outbox event in one transaction, then drops the cached copy).
 * Redis trouble only costs the cache: reads then come from PostgreSQL. X-Cache tells HIT or MISS.
 */
public final class PortfolioRoutes {
  public static final String DEFAULT_ID = "demo-portfolio";
  private static final int MAX_ID_LENGTH = 100;

  private final Vertx vertx;
  private final PortfolioStore store;
  private final RedisCache cache;
  private final long ttlSeconds;
  private final long timeoutMs;

  public PortfolioRoutes(Vertx vertx, PortfolioStore store, RedisCache cache, JsonObject config) {
    this.vertx = vertx;
    this.store = store;
    this.cache = cache;
    this.ttlSeconds = config.getLong(ConfigKeys.PORTFOLIO_CACHE_TTL_SECONDS, 300L);
    this.timeoutMs = config.getLong(ConfigKeys.REQUEST_TIMEOUT_MS, 10_000L);
  }

  public static String cacheKey(String portfolioId) {
    return "portfolio:" + portfolioId;
  }

  public void mount(Router router, BodyHandler body) {
    router.get("/api/v1/portfolio").handler(this::get);
    Json.post(router, "/api/v1/seed", body, this::seed);
  }

  private void get(RoutingContext ctx) {
    String id = portfolioId(ctx.request().getParam("portfolio_id"));
    cache.get(cacheKey(id)).otherwiseEmpty().onComplete(cached -> {
      if (cached.result() != null) {
        ctx.response().putHeader("X-Cache", "HIT");
        ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(cached.result());
      } else {
        fromDatabase(ctx, id);
      }
    });
  }

  private void fromDatabase(RoutingContext ctx, String id) {
    store.find(id).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(ApiException.notFound("portfolio_id", "portfolio " + id + " not found; POST /api/v1/seed stores one"));
        return;
      }
      String json = found.get().encode();
      cache.setEx(cacheKey(id), ttlSeconds, json);
      ctx.response().putHeader("X-Cache", "MISS");
      ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(json);
    }).onFailure(ctx::fail);
  }

  /**
   * The portfolio's writer stores it (over the bus, role {@code portfolio}); answers once the cached copy is
   * gone (or Redis is unreachable), so the next read sees the new one.
   */
  private void seed(RoutingContext ctx) {
    JsonObject portfolio = Json.bodyObject(ctx);
    String id = portfolioId(portfolio.getValue("portfolio_id", portfolio.getValue("id")));
    vertx.eventBus().<JsonObject>request(Addresses.PORTFOLIO_SEED,
            new JsonObject().put("portfolio_id", id).put("portfolio", portfolio), CorrelationIds.delivery(ctx, timeoutMs))
        .compose(reply -> refusedOrStored(reply.body()))
        .compose(stored -> cache.del(cacheKey(id)).otherwiseEmpty())
        .onSuccess(done -> Json.respond(ctx, 200, new JsonObject().put("portfolio_id", id)
            .put("event", PortfolioStore.SEEDED)))
        .onFailure(ctx::fail);
  }

  private static Future<Void> refusedOrStored(JsonObject reply) {
    Violation refusal = Outcomes.refusal(reply);
    return refusal == null ? Future.succeededFuture() : Future.failedFuture(new ApiException(400, refusal));
  }

  private static String portfolioId(Object value) {
    if (value == null) {
      return DEFAULT_ID;
    }
    if (!(value instanceof String id) || id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new ApiException(400, Violation.of(ErrorCode.INVALID_FIELD, "portfolio_id",
          "portfolio_id must be a string of 1-" + MAX_ID_LENGTH + " characters"));
    }
    return id.strip();
  }
}
