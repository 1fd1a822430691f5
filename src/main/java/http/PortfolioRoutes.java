package http;

import cache.CacheSlot;
import cache.PortfolioCache;
import cache.RedisCache;
import codec.IdempotencyJson;
import codec.Outcomes;
import contract.Addresses;
import domain.ErrorCode;
import domain.IdempotencyKey;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import security.AccessControl;
import settings.ApiSettings;
import store.PortfolioStore;

/**
 * Seed 003's portfolio: GET /api/v1/portfolio (PostgreSQL, or the in-memory demo portfolio while
 * {@value #DEFAULT_ID} was never seeded; cached in Redis under {@code portfolio:aggregate:{id}}),
 * GET /api/v1/portfolio/history?days=N (the valuations in {@code portfolio_history}, cached under
 * {@code portfolio:history:{id}:{days}d}) and POST /api/v1/seed (stores the portfolio and its
 * portfolio.seeded outbox event in one transaction, then drops every cached answer about it). Redis
 * trouble only costs the cache: reads then come from PostgreSQL. X-Cache tells HIT or MISS.
 */
public final class PortfolioRoutes {
  public static final String DEFAULT_ID = "demo-portfolio";
  private static final int MAX_ID_LENGTH = 100;
  private static final int MAX_HISTORY_DAYS = 3650;
  private static final int DEFAULT_HISTORY_DAYS = 30;

  /**
   * Points per history answer: a long range is thinned to the last valuation of each equal slice of
   * time.
   */
  private static final int MAX_HISTORY_POINTS = 1000;

  private final Vertx vertx;
  private final PortfolioStore store;
  private final PortfolioCache cache;
  private final long ttlSeconds;
  private final long historyTtlSeconds;
  private final long timeoutMs;

  public PortfolioRoutes(
      Vertx vertx, PortfolioStore store, RedisCache redis, ApiSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.cache = new PortfolioCache(redis);
    this.ttlSeconds = settings.caches().portfolioTtlSeconds();
    this.historyTtlSeconds = settings.caches().portfolioHistoryTtlSeconds();
    this.timeoutMs = settings.requestTimeoutMs();
  }

  public void mount(Router router, BodyHandler body) {
    router.get("/api/v1/portfolio").handler(this::get);
    router.get("/api/v1/portfolio/history").handler(this::history);
    Json.post(router, "/api/v1/seed", body, this::seed);
  }

  /** Seed 003's in-memory demo, answered until a portfolio {@value #DEFAULT_ID} is seeded. */
  static JsonObject demoPortfolio() {
    JsonArray positions = new JsonArray();
    String[][] holdings = {
      {"AAPL", "50"}, {"MSFT", "30"}, {"NVDA", "20"}, {"AMZN", "25"}, {"JPM", "40"}
    };
    for (String[] holding : holdings) {
      positions.add(new JsonObject().put("symbol", holding[0]).put("quantity", holding[1]));
    }
    return new JsonObject()
        .put("portfolio_id", DEFAULT_ID)
        .put("name", "Demo portfolio")
        .put("currency", "USD")
        .put("demo", true)
        .put("positions", positions);
  }

  private void get(RoutingContext ctx) {
    String id = portfolioId(ctx.request().getParam("portfolio_id"));
    CacheSlot slot = cache.aggregate(id, ttlSeconds);
    cachedOr(ctx, id, slot, () -> fromDatabase(ctx, id, slot));
  }

  /**
   * Answers the cached JSON (X-Cache HIT) once the caller may reach the portfolio, else runs {@code
   * miss}, which reads the database and fills the slot.
   */
  private void cachedOr(RoutingContext ctx, String id, CacheSlot slot, Runnable miss) {
    reachable(ctx, id)
        .compose(reached -> slot.read().otherwiseEmpty())
        .onSuccess(
            cached -> {
              if (cached != null) {
                respondJson(ctx, "HIT", cached);
              } else {
                miss.run();
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * A customer reaches only its own portfolios (through their accounts), staff every one, and any
   * token the demo portfolio. Checked before the cache, which holds one answer per portfolio
   * whoever asked; another customer's portfolio is answered as one that does not exist.
   */
  private Future<Void> reachable(RoutingContext ctx, String id) {
    String owner = AccessControl.callerOf(ctx).readOwner();
    if (owner == null || DEFAULT_ID.equals(id)) {
      return Future.succeededFuture();
    }
    return store
        .ownedBy(owner, id)
        .compose(
            owned -> owned ? Future.<Void>succeededFuture() : Future.failedFuture(notFound(id)));
  }

  private void fromDatabase(RoutingContext ctx, String id, CacheSlot slot) {
    store
        .find(id)
        .onSuccess(
            found -> {
              if (found.isEmpty() && !DEFAULT_ID.equals(id)) {
                ctx.fail(notFound(id));
                return;
              }
              String json = found.orElseGet(PortfolioRoutes::demoPortfolio).encode();
              slot.write(json);
              respondJson(ctx, "MISS", json);
            })
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    String id = portfolioId(ctx.request().getParam("portfolio_id"));
    int days = Paging.intParam(ctx, "days", DEFAULT_HISTORY_DAYS, 1, MAX_HISTORY_DAYS);
    CacheSlot slot = cache.history(id, days, historyTtlSeconds);
    cachedOr(ctx, id, slot, () -> historyFromDatabase(ctx, id, days, slot));
  }

  private void historyFromDatabase(RoutingContext ctx, String id, int days, CacheSlot slot) {
    store
        .history(id, days, MAX_HISTORY_POINTS)
        .onSuccess(
            points -> {
              String json =
                  new JsonObject()
                      .put("portfolio_id", id)
                      .put("days", days)
                      .put("history", points)
                      .encode();
              slot.write(json);
              respondJson(ctx, "MISS", json);
            })
        .onFailure(ctx::fail);
  }

  private static void respondJson(RoutingContext ctx, String cacheOutcome, String json) {
    ctx.response().putHeader("X-Cache", cacheOutcome);
    ctx.response().setStatusCode(200).putHeader("content-type", "application/json").end(json);
  }

  /**
   * The portfolio's writer stores it (over the bus, role {@code portfolio}); answers once the
   * cached answers are gone (or Redis is unreachable), so the next read sees the new one.
   */
  private void seed(RoutingContext ctx) {
    IdempotencyKey key = IdempotencyKeys.of(ctx);
    JsonObject portfolio = Json.bodyObject(ctx);
    String id = portfolioId(portfolio.getValue("portfolio_id", portfolio.getValue("id")));
    JsonObject message =
        IdempotencyJson.with(
            new JsonObject().put("portfolio_id", id).put("portfolio", portfolio), key);
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.PORTFOLIO_SEED, message, CorrelationIds.delivery(ctx, timeoutMs))
        .compose(reply -> refusedOrStored(reply.body()))
        .compose(stored -> cache.invalidate(id).otherwiseEmpty().map(stored))
        .onSuccess(
            stored -> {
              IdempotencyKeys.answered(ctx, stored);
              Json.respond(
                  ctx,
                  200,
                  new JsonObject().put("portfolio_id", id).put("event", PortfolioStore.SEEDED));
            })
        .onFailure(ctx::fail);
  }

  private static Future<JsonObject> refusedOrStored(JsonObject reply) {
    Violation refusal = Outcomes.refusal(reply);
    return refusal == null
        ? Future.succeededFuture(reply)
        : Future.failedFuture(ApiException.refused(refusal));
  }

  /** The same words for a portfolio that does not exist and for another customer's. */
  private static ApiException notFound(String id) {
    return ApiException.notFound(
        "portfolio_id", "portfolio " + id + " not found; POST /api/v1/seed stores one");
  }

  private static String portfolioId(Object value) {
    if (value == null) {
      return DEFAULT_ID;
    }
    if (!(value instanceof String id) || id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new ApiException(
          400,
          Violation.of(
              ErrorCode.INVALID_FIELD,
              "portfolio_id",
              "portfolio_id must be a string of 1-" + MAX_ID_LENGTH + " characters"));
    }
    return id.strip();
  }
}
