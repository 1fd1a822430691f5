package marketdata;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Await;
import support.ServiceUnderTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Portfolio: JSONB in PostgreSQL, cached in Redis with a TTL, and the portfolio.seeded outbox row. */
@ExtendWith(VertxExtension.class)
class PortfolioApiTest {
  private static ServiceUnderTest service;
  private static MarketData.Running running;
  private static RedisAPI redis;

  @BeforeAll
  static void deploy() {
    running = MarketData.start(new JsonObject()
        .put(ConfigKeys.PORTFOLIO_CACHE_TTL_SECONDS, 120));
    service = running.service;
    redis = MarketData.redis(service);
  }

  @AfterAll
  static void close() {
    running.close();
  }

  private static JsonObject portfolio(String id, int quantity) {
    return new JsonObject().put("portfolio_id", id).put("name", "Growth")
        .put("positions", new JsonArray().add(new JsonObject().put("symbol", "AAPL").put("quantity", quantity)));
  }

  private static HttpResponse<Buffer> get(String id) {
    return Await.result(service.http.get("/api/v1/portfolio").addQueryParam("portfolio_id", id).send());
  }

  @Test
  void seedStoresThePortfolioAndItsOutboxEventInOneTransaction() {
    String id = MarketData.symbol("pf");
    HttpResponse<Buffer> seeded = Await.result(service.http.post("/api/v1/seed")
        .putHeader("X-Correlation-ID", "corr-" + id).sendJsonObject(portfolio(id, 10)));
    assertEquals(200, seeded.statusCode(), seeded::bodyAsString);
    assertEquals(id, seeded.bodyAsJsonObject().getString("portfolio_id"));

    Row stored = service.sql("SELECT data FROM portfolios WHERE portfolio_id = $1", id).iterator().next();
    assertEquals(portfolio(id, 10), stored.getJsonObject("data"));
    Row outbox = service.sql("SELECT topic, message_key, payload, correlation_id FROM outbox WHERE message_key = $1", id)
        .iterator().next();
    assertEquals("portfolio.events", outbox.getString("topic"));
    assertEquals("corr-" + id, outbox.getString("correlation_id"));
    assertEquals(new JsonObject().put("type", "portfolio.seeded").put("portfolio_id", id).put("payload", portfolio(id, 10)),
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
    long ttl = Await.result(redis.ttl("portfolio:" + id)).toLong();
    assertTrue(ttl > 0 && ttl <= 120, () -> "ttl " + ttl);

    assertEquals(200, service.postJson("/api/v1/seed", portfolio(id, 2)).statusCode());
    assertNull(Await.result(redis.get("portfolio:" + id)), "the seed dropped the cached copy");
    HttpResponse<Buffer> fresh = get(id);
    assertEquals("MISS", fresh.getHeader("X-Cache"));
    assertEquals(portfolio(id, 2), fresh.bodyAsJsonObject());
    assertEquals(2L, service.sql("SELECT count(*) FROM outbox WHERE message_key = $1", id).iterator().next().getLong(0));
  }

  @Test
  void unknownPortfolioIs404AndBadInputIs400() {
    HttpResponse<Buffer> missing = get(MarketData.symbol("nobody"));
    assertEquals(404, missing.statusCode());
    assertEquals("portfolio_id", missing.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> badId = service.postJson("/api/v1/seed", new JsonObject().put("portfolio_id", 5));
    assertEquals(400, badId.statusCode());
    assertEquals("portfolio_id", badId.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> notJson = service.postRaw("/api/v1/seed", "application/json", Buffer.buffer("[1]"));
    assertEquals("MALFORMED_JSON", notJson.bodyAsJsonObject().getString("error"));
  }

  /** A NUL inside the JSON is refused by PostgreSQL's jsonb: a 400 naming the cause, not a 503 to retry. */
  @Test
  void seedWithANulCharacterGets400() {
    HttpResponse<Buffer> response = service.postJson("/api/v1/seed",
        new JsonObject().put("portfolio_id", MarketData.symbol("pf-nul")).put("note", "a\u0000b"));
    assertEquals(400, response.statusCode(), response::bodyAsString);
    assertEquals("INVALID_FIELD", response.bodyAsJsonObject().getString("error"));
  }
}
