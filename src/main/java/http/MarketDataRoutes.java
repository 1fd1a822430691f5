package http;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import store.PortfolioStore;
import store.QuoteCache;
import store.QuoteLookup;
import store.QuoteStore;
import store.RedisCache;

/** Quotes, portfolio and the dashboard page, with the Redis client they share. */
public final class MarketDataRoutes implements RouteModule {
  private final Vertx vertx;
  private final JsonObject config;
  private final Pool pool;
  private final RedisCache redis;

  public MarketDataRoutes(Vertx vertx, Pool pool, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.redis = RedisCache.create(vertx, config, "market data API");
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    QuoteStore quotes = new QuoteStore(pool);
    new QuoteRoutes(new QuoteLookup(new QuoteCache(redis), quotes), quotes, config).mount(router);
    new PortfolioRoutes(vertx, new PortfolioStore(pool, config.getString(ConfigKeys.PORTFOLIO_EVENTS_TOPIC)), redis, config).mount(router, body);
    new DashboardRoutes(vertx, quotes, config).mount(router);
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }
}
