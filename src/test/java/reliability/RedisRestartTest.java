package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cache.QuoteCache;
import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.Seeds;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * Scenario 5: Redis restarts. Every quote request during the outage answers 200 from PostgreSQL
 * (prices that changed meanwhile included), health says "degraded"; once Redis is back the
 * read-through cache heals by itself: Redis holds the latest quote of every symbol again, answers
 * come from it, and health says "healthy".
 */
@Tag("fault")
class RedisRestartTest {
  private static final Duration HEAL = Duration.ofSeconds(60);
  private static final int SYMBOLS = 10;

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));

  private static Redis redisClient;
  private static RedisAPI redis;

  @BeforeAll
  static void deploy() {
    redisClient =
        Redis.createClient(
            service.vertx, service.config.getString(ConfigKeys.REDIS_CONNECTION_STRING));
    redis = RedisAPI.api(redisClient);
  }

  @AfterAll
  static void close() {
    TestInfra.get().startRedis(); // in case the test failed while it was down
    redisClient.close();
  }

  @Test
  void quotesComeFromPostgresDuringTheOutageAndTheCacheHealsAfter() {
    long seed = Seeds.seed();
    Map<String, BigDecimal> prices =
        new LinkedHashMap<>(); // the latest price of each symbol in realtime_quote
    for (int i = 0; i < SYMBOLS; i++) {
      setPrice(prices, "RDS" + seed % 100_000 + "X" + i, "100." + i, 1);
    }
    String query = "/api/v1/quotes?symbols=" + String.join(",", prices.keySet());
    assertTrue(servesPrices(query, prices), "quotes before the outage");
    Await.until("the quotes cached in Redis", HEAL, () -> cachedPrices(prices).equals(prices));

    TestInfra.get().stopRedis();
    int requests = Scale.pick(300, 3_000);
    int answered = 0;
    String healthDuring = null;
    for (int i = 0; i < requests; i++) {
      if (i == requests / 2) {
        prices
            .keySet()
            .forEach(symbol -> setPrice(prices, symbol, "200.5", 2)); // new prices, the cache down
        healthDuring = health();
      }
      answered += servesPrices(query, prices) ? 1 : 0;
    }
    TestInfra.get().startRedis();
    long restarted = System.nanoTime();

    Await.until(
        "the cache healed: Redis holds every latest quote again",
        HEAL,
        () -> servesPrices(query, prices) && cachedPrices(prices).equals(prices));
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
    long hitsBefore = keyspaceHits();
    boolean servedAfter = servesPrices(query, prices);
    long servedFromRedis = keyspaceHits() - hitsBefore;
    String healthAfter =
        Await.until(
            "health back to healthy",
            HEAL,
            () -> Future.succeededFuture(health()),
            "healthy"::equals);

    Figures.of("Redis restart")
        .sent(requests)
        .stored(answered)
        .lost(requests - answered)
        .recovery(recovery)
        .note(
            String.format(
                "%d symbols; quote requests during the outage answered 200 with the PostgreSQL"
                    + " price: %d of %d, prices changed mid-outage included; after the restart %d"
                    + " of %d symbols read from Redis; health %s during, %s after; seed %d",
                SYMBOLS,
                answered,
                requests,
                servedFromRedis,
                SYMBOLS,
                healthDuring,
                healthAfter,
                seed))
        .report();
    assertEquals(
        requests, answered, "quote answers during the outage without the PostgreSQL prices");
    assertEquals("degraded", healthDuring);
    assertTrue(servedAfter, "quotes after the restart");
    assertTrue(
        servedFromRedis >= SYMBOLS,
        "quotes after the heal not read from Redis: " + servedFromRedis + " hits");
  }

  private static void setPrice(
      Map<String, BigDecimal> prices, String symbol, String price, long timestampMs) {
    service.sql(
        "INSERT INTO realtime_quote (symbol, price, timestamp_ms) VALUES ($1, $2, $3) ON CONFLICT"
            + " (symbol) DO UPDATE SET price = EXCLUDED.price, timestamp_ms ="
            + " EXCLUDED.timestamp_ms",
        symbol,
        new BigDecimal(price),
        timestampMs);
    prices.put(symbol, price(price));
  }

  /** Prices compare by value: "200.5" and "200.50" are the same price. */
  private static BigDecimal price(String text) {
    return new BigDecimal(text).stripTrailingZeros();
  }

  /** True when the answer is 200 with exactly the expected price of every symbol. */
  private static boolean servesPrices(String query, Map<String, BigDecimal> prices) {
    HttpResponse<Buffer> response = service.get(query);
    if (response.statusCode() != 200) {
      return false;
    }
    JsonObject quotes = response.bodyAsJsonObject().getJsonObject("quotes");
    return prices.entrySet().stream()
        .allMatch(
            expected ->
                quotes.containsKey(expected.getKey())
                    && price(quotes.getJsonObject(expected.getKey()).getString("price"))
                        .equals(expected.getValue()));
  }

  /** The prices Redis holds for these symbols, read straight from Redis. */
  private static Map<String, BigDecimal> cachedPrices(Map<String, BigDecimal> symbols) {
    Map<String, BigDecimal> cached = new HashMap<>();
    for (String symbol : symbols.keySet()) {
      Response value = Await.result(redis.get(QuoteCache.key(symbol)).otherwiseEmpty());
      if (value != null) {
        cached.put(symbol, price(new JsonObject(value.toString()).getString("price")));
      }
    }
    return cached;
  }

  /** Redis' count of key lookups that found their key. */
  private static long keyspaceHits() {
    String stats = Await.result(redis.info(List.of("stats"))).toString();
    Matcher hits = Pattern.compile("keyspace_hits:(\\d+)").matcher(stats);
    assertTrue(hits.find(), "keyspace_hits in INFO stats");
    return Long.parseLong(hits.group(1));
  }

  private static String health() {
    return service.get("/api/v1/health").bodyAsJsonObject().getString("status");
  }
}
