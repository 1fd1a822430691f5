package http;

import cache.QuoteCache;
import cache.QuoteLookup;
import cache.RedisCache;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import settings.ApiSettings;
import store.PortfolioStore;
import store.QuoteStore;

/** Quotes, portfolio and the dashboard page. */
public final class MarketDataRoutes implements RouteModule {
  private final Vertx vertx;
  private final ApiSettings settings;
  private final Pool pool;
  private final RedisCache redis;

  public MarketDataRoutes(Vertx vertx, Pool pool, RedisCache redis, ApiSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.pool = pool;
    this.redis = redis;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    QuoteStore quotes = new QuoteStore(pool);
    new QuoteRoutes(new QuoteLookup(new QuoteCache(redis), quotes), quotes, settings.quotes())
        .mount(router);
    new PortfolioRoutes(
            vertx,
            new PortfolioStore(pool, settings.quotes().portfolioEventsTopic()),
            redis,
            settings)
        .mount(router, body);
    new DashboardRoutes(vertx, quotes, settings).mount(router);
  }
}
