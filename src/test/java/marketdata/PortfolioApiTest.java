package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Row;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;

/**
 * Portfolio: JSONB in PostgreSQL, cached in Redis with a TTL, and the portfolio.seeded outbox row.
 */
@Tag("integration")
class PortfolioApiTest {
  @RegisterExtension
  static final MarketData.Running running =
      MarketData.perClass(
          new JsonObject()
              .put(ConfigKeys.PORTFOLIO_CACHE_TTL_SECONDS, 120)
              .put(ConfigKeys.PORTFOLIO_HISTORY_CACHE_TTL_SECONDS, 90)
              .put(ConfigKeys.PORTFOLIO_VALUATION_INTERVAL_MS, 200));

  private static final ServiceUnderTest service = running.service;
  private static RedisAPI redis;

  @BeforeAll
  static void deploy() {
    redis = MarketData.redis(service);
  }

  private static JsonObject portfolio(String id, int quantity) {
    return new JsonObject()
        .put("portfolio_id", id)
        .put("name", "Growth")
        .put(
            "positions",
            new JsonArray().add(new JsonObject().put("symbol", "AAPL").put("quantity", quantity)));
  }

  private static HttpResponse<Buffer> get(String id) {
    return Await.result(
        service.http.get("/api/v1/portfolio").addQueryParam("portfolio_id", id).send());
  }

  @Test
  void seedStoresThePortfolioAndItsOutboxEventInOneTransaction() {
    String id = MarketData.symbol("pf");
    HttpResponse<Buffer> seeded =
        Await.result(
            service
                .http
                .post("/api/v1/seed")
                .putHeader("X-Correlation-ID", "corr-" + id)
                .sendJsonObject(portfolio(id, 10)));
    assertEquals(200, seeded.statusCode(), seeded::bodyAsString);
    assertEquals(id, seeded.bodyAsJsonObject().getString("portfolio_id"));

    Row stored =
        service.sql("SELECT data FROM portfolios WHERE portfolio_id = $1", id).iterator().next();
    assertEquals(portfolio(id, 10), stored.getJsonObject("data"));
    Row outbox =
        service
            .sql(
                "SELECT topic, message_key, payload, correlation_id FROM outbox WHERE message_key ="
                    + " $1",
                id)
            .iterator()
            .next();
    assertEquals("portfolio.events", outbox.getString("topic"));
    assertEquals("corr-" + id, outbox.getString("correlation_id"));
    assertEquals(
        new JsonObject()
            .put("type", "portfolio.seeded")
            .put("portfolio_id", id)
            .put("payload", portfolio(id, 10)),
        outbox.getJsonObject("payload"));
  }

  @Test
  void readsAreCachedWithATtlAndASeedInvalidatesTheCache() {
    String id = MarketData.symbol("pf");
    assertEquals(200, service.postJson("/api/v1/seed", portfolio(id, 1)).statusCode());
    HttpResponse<Buffer> miss = get(id);
    assertEquals(200, miss.statusCode(), miss::bodyAsString);
    assertEquals("MISS", miss.getHeader("X-Cache"));
    assertEquals(portfolio(id, 1), miss.bodyAsJsonObject());
    Await.until("cached", MarketData.WAIT, () -> "HIT".equals(get(id).getHeader("X-Cache")));
    long ttl = Await.result(redis.ttl("portfolio:aggregate:" + id)).toLong();
    assertTrue(ttl > 0 && ttl <= 120, () -> "ttl " + ttl);

    assertEquals(200, service.postJson("/api/v1/seed", portfolio(id, 2)).statusCode());
    assertNull(
        Await.result(redis.get("portfolio:aggregate:" + id)), "the seed dropped the cached copy");
    HttpResponse<Buffer> fresh = get(id);
    assertEquals("MISS", fresh.getHeader("X-Cache"));
    assertEquals(portfolio(id, 2), fresh.bodyAsJsonObject());
    assertEquals(
        2L,
        service
            .sql("SELECT count(*) FROM outbox WHERE message_key = $1", id)
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  void unknownPortfolioIs404AndBadInputIs400() {
    HttpResponse<Buffer> missing = get(MarketData.symbol("nobody"));
    assertEquals(404, missing.statusCode());
    assertEquals("portfolio_id", missing.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> badId =
        service.postJson("/api/v1/seed", new JsonObject().put("portfolio_id", 5));
    assertEquals(400, badId.statusCode());
    assertEquals("portfolio_id", badId.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> notJson =
        service.postRaw("/api/v1/seed", "application/json", Buffer.buffer("[1]"));
    assertEquals("MALFORMED_JSON", notJson.bodyAsJsonObject().getString("error"));
  }

  @Test
  void unseededDemoPortfolioIsTheInMemoryDemoNot404() {
    service.sql("DELETE FROM portfolios WHERE portfolio_id = 'demo-portfolio'");
    Await.result(redis.del(List.of("portfolio:aggregate:demo-portfolio")));
    HttpResponse<Buffer> demo = service.get("/api/v1/portfolio");
    assertEquals(200, demo.statusCode(), demo::bodyAsString);
    assertEquals("demo-portfolio", demo.bodyAsJsonObject().getString("portfolio_id"));
    assertTrue(demo.bodyAsJsonObject().getBoolean("demo"));
    assertFalse(demo.bodyAsJsonObject().getJsonArray("positions").isEmpty());
    Await.until(
        "demo cached under the seed's key",
        MarketData.WAIT,
        () -> Await.result(redis.get("portfolio:aggregate:demo-portfolio")) != null);
  }

  /**
   * The valuation timer writes quantity × latest price into portfolio_history; the history endpoint
   * reads it, caches it under portfolio:history:{id}:{days}d with its own TTL, and a seed drops
   * those keys.
   */
  @Test
  void historyIsValuedFromQuotesCachedPerRangeAndDroppedBySeed() {
    String id = MarketData.symbol("pf-hist");
    String symbol = MarketData.symbol("VAL");
    running.produce(MarketData.tick(symbol, "12.5", System.currentTimeMillis()));
    Await.until(
        "quote stored",
        MarketData.WAIT,
        () -> MarketData.count(service, "realtime_quote", symbol) == 1);
    JsonObject holding =
        new JsonObject()
            .put("portfolio_id", id)
            .put("currency", "eur")
            .put(
                "accounts",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put(
                                "holdings",
                                new JsonArray()
                                    .add(
                                        new JsonObject().put("symbol", symbol).put("quantity", "3"))
                                    .add(
                                        new JsonObject()
                                            .put("symbol", MarketData.symbol("NOQUOTE"))
                                            .put("quantity", 7)))));
    assertEquals(200, service.postJson("/api/v1/seed", holding).statusCode());

    Await.until(
        "a valuation point",
        MarketData.WAIT,
        () ->
            service
                    .sql("SELECT count(*) FROM portfolio_history WHERE portfolio_id = $1", id)
                    .iterator()
                    .next()
                    .getLong(0)
                > 0);
    Row point =
        service
            .sql(
                "SELECT total_value, currency FROM portfolio_history WHERE portfolio_id = $1 LIMIT"
                    + " 1",
                id)
            .iterator()
            .next();
    assertEquals(0, new java.math.BigDecimal("37.5").compareTo(point.getBigDecimal("total_value")));
    assertEquals("EUR", point.getString("currency"));

    HttpResponse<Buffer> miss =
        Await.result(
            service
                .http
                .get("/api/v1/portfolio/history")
                .addQueryParam("portfolio_id", id)
                .addQueryParam("days", "7")
                .send());
    assertEquals(200, miss.statusCode(), miss::bodyAsString);
    assertEquals("MISS", miss.getHeader("X-Cache"));
    JsonObject first = miss.bodyAsJsonObject().getJsonArray("history").getJsonObject(0);
    assertEquals("37.5", first.getString("total_value"), "an exact decimal string");
    assertEquals("EUR", first.getString("currency"));
    String key = "portfolio:history:" + id + ":7d";
    Await.until("history cached", MarketData.WAIT, () -> Await.result(redis.get(key)) != null);
    long ttl = Await.result(redis.ttl(key)).toLong();
    assertTrue(ttl > 0 && ttl <= 90, () -> "ttl " + ttl);
    assertEquals(
        "HIT",
        Await.result(
                service
                    .http
                    .get("/api/v1/portfolio/history")
                    .addQueryParam("portfolio_id", id)
                    .addQueryParam("days", "7")
                    .send())
            .getHeader("X-Cache"));

    assertEquals(200, service.postJson("/api/v1/seed", holding).statusCode());
    assertNull(Await.result(redis.get(key)), "the seed dropped the cached history");

    HttpResponse<Buffer> badDays = service.get("/api/v1/portfolio/history?days=0");
    assertEquals(400, badDays.statusCode());
    assertEquals("days", badDays.bodyAsJsonObject().getString("field"));
  }

  /**
   * A NUL inside the JSON is refused by PostgreSQL's jsonb: a 400 naming the cause, not a 503 to
   * retry.
   */
  @Test
  void seedWithANulCharacterGets400() {
    HttpResponse<Buffer> response =
        service.postJson(
            "/api/v1/seed",
            new JsonObject()
                .put("portfolio_id", MarketData.symbol("pf-nul"))
                .put("note", "a\u0000b"));
    assertEquals(400, response.statusCode(), response::bodyAsString);
    assertEquals("INVALID_FIELD", response.bodyAsJsonObject().getString("error"));
  }
}
