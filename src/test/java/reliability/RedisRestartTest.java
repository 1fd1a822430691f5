package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * Scenario 5: Redis restarts. Quotes are served from PostgreSQL during the outage (including prices that
 * changed meanwhile), health says "degraded", and once Redis is back the read-through cache heals by itself.
 */
class RedisRestartTest {
  private static final Duration HEAL = Duration.ofSeconds(60);
  private static ServiceUnderTest service;
  private static Redis redisClient;
  private static RedisAPI redis;

  @BeforeAll
  static void deploy() {
    service = ServiceUnderTest.start(new JsonObject().put(ConfigKeys.ROLES, "api"));
    redisClient = Redis.createClient(service.vertx, service.config.getString(ConfigKeys.REDIS_CONNECTION_STRING));
    redis = RedisAPI.api(redisClient);
  }

  @AfterAll
  static void close() {
    TestInfra.get().startRedis(); // in case the test failed while it was down
    redisClient.close();
    service.close();
  }

  @Test
  void quotesComeFromPostgresDuringTheOutageAndTheCacheHealsAfter() {
    long seed = Seeds.seed();
    List<String> symbols = new ArrayList<>();
    Map<String, String> prices = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      String symbol = "RDS" + seed % 100_000 + "X" + i;
      symbols.add(symbol);
      setPrice(prices, symbol, "100." + i, 1);
    }
    String query = "/api/v1/quotes?symbols=" + String.join(",", symbols);
    assertPrices(service.get(query), prices);
    Await.until("the quotes cached in Redis", HEAL, () -> cachedPrices(symbols).equals(prices));

    TestInfra.get().stopRedis();
    int requests = Scale.pick(300, 3_000);
    int answered = 0;
    for (int i = 0; i < requests; i++) {
      if (i == requests / 2) {
        symbols.forEach(symbol -> setPrice(prices, symbol, "200.5", 2)); // new prices while the cache is down
      }
      answered += assertPrices(service.get(query), prices);
    }
    String during = service.get("/api/v1/health").bodyAsJsonObject().getString("status");
    TestInfra.get().startRedis();
    long restarted = System.nanoTime();

    Await.until("the cache healed: Redis holds every latest quote again", HEAL, () -> {
      assertPrices(service.get(query), prices);
      return cachedPrices(symbols).equals(prices);
    });
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
    String after = Await.until("health back to healthy", HEAL,
        () -> Future.succeededFuture(service.get("/api/v1/health").bodyAsJsonObject().getString("status")),
        "healthy"::equals);

    Figures.of("Redis restart").sent(requests).stored(answered).lost(requests - answered).recovery(recovery)
        .note("every quote request answered 200 with the PostgreSQL price during the outage, prices changed "
            + "mid-outage served fresh; health " + during + " during, " + after + " after; seed " + seed)
        .report();
    assertEquals(requests, answered);
    assertEquals("degraded", during);
  }

  private static void setPrice(Map<String, String> prices, String symbol, String price, long timestampMs) {
    service.sql("INSERT INTO realtime_quote (symbol, price, timestamp_ms) VALUES ($1, $2, $3) "
        + "ON CONFLICT (symbol) DO UPDATE SET price = EXCLUDED.price, timestamp_ms = EXCLUDED.timestamp_ms",
        symbol, new java.math.BigDecimal(price), timestampMs);
    prices.put(symbol, new java.math.BigDecimal(price).stripTrailingZeros().toPlainString());
  }

  /** Checks a quotes answer against the expected prices; 1 when it matched. */
  private static int assertPrices(HttpResponse<Buffer> response, Map<String, String> prices) {
    assertEquals(200, response.statusCode(), response::bodyAsString);
    JsonObject quotes = response.bodyAsJsonObject().getJsonObject("quotes");
    prices.forEach((symbol, price) -> assertEquals(price,
        new java.math.BigDecimal(quotes.getJsonObject(symbol).getString("price")).stripTrailingZeros().toPlainString(),
        symbol));
    return 1;
  }

  private static Map<String, String> cachedPrices(List<String> symbols) {
    Map<String, String> cached = new HashMap<>();
    for (String symbol : symbols) {
      var value = Await.result(redis.get("quote:" + symbol).otherwiseEmpty());
      if (value != null) {
        cached.put(symbol, new java.math.BigDecimal(new JsonObject(value.toString()).getString("price"))
            .stripTrailingZeros().toPlainString());
      }
    }
    return cached;
  }
}
