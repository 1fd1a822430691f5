package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;

/**
 * Quotes REST (Redis read-through over realtime_quote), history, OHLC bars and the dashboard's
 * config.
 */
@Tag("integration")
class QuoteApiTest {
  @RegisterExtension
  static final MarketData.Running running =
      MarketData.perClass(
          new JsonObject()
              .put(ConfigKeys.QUOTES_MAX_SYMBOLS, 5)
              .put(ConfigKeys.TICKS_RETENTION_HOURS, 1));

  private static final ServiceUnderTest service = running.service;
  private static RedisAPI redis;
  private static int pushPort;

  @BeforeAll
  static void deploy() {
    pushPort = service.pushPort();
    redis = MarketData.redis(service);
  }

  private static void storeQuote(String symbol, String price, long timestampMs) {
    service.sql(
        "INSERT INTO realtime_quote (symbol, price, size, timestamp_ms, exchange) VALUES ($1, $2,"
            + " 3, $3, 'XNYS')",
        symbol,
        new java.math.BigDecimal(price),
        timestampMs);
  }

  @Test
  void quotesAreReadFromPostgresWhenNotCachedAndThenCached() {
    String a = MarketData.symbol("RTA");
    String b = MarketData.symbol("RTB");
    String unknown = MarketData.symbol("NONE");
    storeQuote(a, "12.5000", 1_000);
    storeQuote(b, "99", 2_000);
    assertNull(MarketData.cachedQuote(redis, a));

    HttpResponse<Buffer> response =
        service.get("/api/v1/quotes?symbols=" + a.toLowerCase() + "," + b + "," + unknown);
    assertEquals(200, response.statusCode(), response::bodyAsString);
    JsonObject quotes = response.bodyAsJsonObject().getJsonObject("quotes");
    assertEquals(
        List.of(a, b), List.copyOf(quotes.fieldNames()), "unknown symbols are simply absent");
    assertEquals(
        new JsonObject()
            .put("symbol", a)
            .put("price", "12.5")
            .put("size", "3")
            .put("timestamp_ms", 1_000L)
            .put("exchange", "XNYS"),
        quotes.getJsonObject(a));

    JsonObject cached =
        Await.until(
            "read-through filled Redis",
            MarketData.WAIT,
            () -> Future.succeededFuture(MarketData.cachedQuote(redis, a)),
            json -> json != null);
    assertEquals("12.5", cached.getString("price"));

    // once cached, Redis answers: a newer cached value wins over the table
    Await.result(
        redis.set(
            List.of(
                "quote:" + a,
                cached.copy().put("price", "13").put("timestamp_ms", 1_001L).encode())));
    assertEquals(
        "13",
        service
            .get("/api/v1/quotes?symbols=" + a)
            .bodyAsJsonObject()
            .getJsonObject("quotes")
            .getJsonObject(a)
            .getString("price"));
  }

  @Test
  void theSymbolListIsRequiredValidAndBounded() {
    String six = IntStream.range(0, 6).mapToObj(i -> "S" + i).collect(Collectors.joining(","));
    assertError(service.get("/api/v1/quotes?symbols=" + six), "INVALID_PARAMETER", "symbols");
    assertError(service.get("/api/v1/quotes"), "INVALID_PARAMETER", "symbols");
    assertError(service.get("/api/v1/quotes?symbols=A,,B"), "INVALID_PARAMETER", "symbols");
    assertEquals(
        200,
        service.get("/api/v1/quotes?symbols=S1,S1,S2,S3,S4,S5").statusCode(),
        "duplicates count once");
  }

  @Test
  void historyListsTicksOfTheLastMinutesOldestFirst() {
    String symbol = MarketData.symbol("HIST");
    service.sql(
        "INSERT INTO quote_tick (symbol, ts, price, size) VALUES ($1, now() - interval '10"
            + " minutes', 1, 1), ($1, now() - interval '2 minutes', 2, 1), ($1, now() - interval '1"
            + " minute', 3, 1)",
        symbol);
    JsonObject body =
        service.get("/api/v1/quotes/history?symbols=" + symbol + "&minutes=5").bodyAsJsonObject();
    JsonArray points = body.getJsonObject("history").getJsonArray(symbol);
    assertEquals(
        List.of("2", "3"), points.stream().map(p -> ((JsonObject) p).getString("price")).toList());
    assertFalse(body.getBoolean("truncated"));
    assertEquals(
        3,
        service
            .get("/api/v1/quotes/history?symbols=" + symbol + "&minutes=15")
            .bodyAsJsonObject()
            .getJsonObject("history")
            .getJsonArray(symbol)
            .size());
    assertError(
        service.get("/api/v1/quotes/history?symbols=" + symbol + "&minutes=0"),
        "INVALID_PARAMETER",
        "minutes");
  }

  @Test
  void ohlcBarsAreComputedInSql() {
    String symbol = MarketData.symbol("BAR");
    // two one-minute buckets, ticks inserted out of time order
    service.sql(
        """
        INSERT INTO quote_tick (symbol, ts, price, size)
        SELECT $1, date_bin(interval '1 minute', now(), timestamptz '1970-01-01') - interval '2 minutes' + s.offset_s * interval '1 second', s.price, 1
        FROM (VALUES (30, 12.0), (0, 10.0), (10, 15.0), (50, 11.0), (20, 9.0), (65, 20.0), (70, 21.0)) AS s(offset_s, price)
        """,
        symbol);
    JsonObject body =
        service
            .get("/api/v1/quotes/ohlc?symbol=" + symbol + "&interval=1m&minutes=5")
            .bodyAsJsonObject();
    JsonArray bars = body.getJsonArray("bars");
    assertEquals(2, bars.size(), body::encode);
    JsonObject first = bars.getJsonObject(0);
    assertEquals(
        List.of("10", "15", "9", "11", "5"),
        List.of(
            first.getString("open"),
            first.getString("high"),
            first.getString("low"),
            first.getString("close"),
            first.getString("volume")));
    assertEquals(5, first.getLong("ticks"));
    assertEquals("20", bars.getJsonObject(1).getString("open"));
    assertEquals("21", bars.getJsonObject(1).getString("close"));
    JsonArray fiveMinute =
        service
            .get("/api/v1/quotes/ohlc?symbol=" + symbol + "&interval=5m&minutes=10")
            .bodyAsJsonObject()
            .getJsonArray("bars");
    assertEquals(7, fiveMinute.stream().mapToLong(b -> ((JsonObject) b).getLong("ticks")).sum());
    assertError(
        service.get("/api/v1/quotes/ohlc?symbol=" + symbol + "&interval=2m"),
        "INVALID_PARAMETER",
        "interval");
    // the contract names the missing parameter itself (the domain's own check says "symbols")
    assertError(service.get("/api/v1/quotes/ohlc?interval=1m"), "INVALID_PARAMETER", "symbol");
  }

  /**
   * The stored 1- and 5-minute bars, maintained batch by batch as ticks are stored (late and
   * out-of-order ticks included), equal the bars computed from every tick in quote_tick.
   */
  @Test
  void storedBarsEqualTheBarsComputedFromTheTicks() {
    String symbol = MarketData.symbol("OHLC");
    long base = System.currentTimeMillis() / 300_000 * 300_000 - 600_000;
    long[][] first = {
      {0, 1000}, {30_000, 1200}, {10_000, 900}, {65_000, 2000}, {310_000, 500}, {59_999, 1100}
    };
    long[][] late = {{5_000, 1300}, {59_999, 1150}, {65_000, 2100}, {299_999, 700}, {310_000, 400}};
    produceCents(symbol, base, first);
    Await.until(
        "first ticks stored",
        MarketData.WAIT,
        () -> MarketData.count(service, "quote_tick", symbol) == first.length);
    produceCents(symbol, base, late);
    Await.until(
        "late ticks stored",
        MarketData.WAIT,
        () -> MarketData.count(service, "quote_tick", symbol) == first.length + late.length);
    for (String interval : List.of("1m", "5m")) {
      String query = "?symbol=" + symbol + "&interval=" + interval + "&minutes=30";
      JsonObject stored = service.get("/api/v1/quotes/bars" + query).bodyAsJsonObject();
      JsonObject computed = service.get("/api/v1/quotes/ohlc" + query).bodyAsJsonObject();
      assertEquals(computed, stored, interval);
      assertTrue(stored.getJsonArray("bars").size() >= 2, stored::encode);
    }
    JsonObject firstMinute =
        service
            .get("/api/v1/quotes/bars?symbol=" + symbol + "&interval=1m&minutes=30")
            .bodyAsJsonObject()
            .getJsonArray("bars")
            .getJsonObject(0);
    assertEquals(
        List.of("10", "13", "9", "11.5", "6"),
        List.of(
            firstMinute.getString("open"),
            firstMinute.getString("high"),
            firstMinute.getString("low"),
            firstMinute.getString("close"),
            String.valueOf(firstMinute.getLong("ticks"))));
    assertError(
        service.get("/api/v1/quotes/bars?symbol=" + symbol + "&interval=15m"),
        "INVALID_PARAMETER",
        "interval");
  }

  /** Ticks at base + offset ms, priced in cents, keyed and produced in the order given. */
  private static void produceCents(String symbol, long base, long[][] ticks) {
    for (long[] tick : ticks) {
      running.produce(
          MarketData.tick(
              symbol, java.math.BigDecimal.valueOf(tick[1], 2).toPlainString(), base + tick[0]));
    }
  }

  /** Beyond the tick retention (1 hour here), history points are the 1-minute bars' closes. */
  @Test
  void historyFallsBackToOneMinuteBarsBeyondTheTickRetention() {
    String symbol = MarketData.symbol("OLD");
    long oldMinute = (System.currentTimeMillis() - 3 * 3_600_000L) / 60_000 * 60_000;
    running.produce(MarketData.tick(symbol, "10", oldMinute + 1_000));
    running.produce(MarketData.tick(symbol, "12.5", oldMinute + 2_000));
    running.produce(MarketData.tick(symbol, "20", System.currentTimeMillis() - 60_000));
    Await.until(
        "ticks stored",
        MarketData.WAIT,
        () -> MarketData.count(service, "quote_tick", symbol) == 3);
    JsonArray points =
        service
            .get("/api/v1/quotes/history?symbols=" + symbol + "&minutes=240")
            .bodyAsJsonObject()
            .getJsonObject("history")
            .getJsonArray(symbol);
    assertEquals(2, points.size(), points::encode);
    JsonObject bar = points.getJsonObject(0);
    assertEquals("ohlc_1min", bar.getString("source"));
    assertEquals(oldMinute, bar.getLong("timestamp_ms"));
    assertEquals("12.5", bar.getString("price"), "the bar's close");
    assertEquals("20", bar.getString("size"), "the bar's volume");
    assertEquals("tick", points.getJsonObject(1).getString("source"));
    assertEquals("20", points.getJsonObject(1).getString("price"));
  }

  @Test
  void dashboardPageAndItsConfigAreServed() {
    HttpResponse<Buffer> page = service.get("/");
    assertEquals(200, page.statusCode(), page::bodyAsString);
    assertTrue(page.bodyAsString().contains("/assets/dashboard.js"));
    assertEquals(200, service.get("/assets/dashboard.js").statusCode());
    JsonObject config = service.get("/api/v1/dashboard/config").bodyAsJsonObject();
    assertEquals(pushPort, config.getInteger("quotes_ws_port"));
    assertEquals("/ws/quotes", config.getString("quotes_ws_path"));
    assertNotNull(config.getJsonArray("symbols"));
  }

  private static void assertError(HttpResponse<Buffer> response, String code, String field) {
    assertEquals(400, response.statusCode(), response::bodyAsString);
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(code, body.getString("error"), body::encode);
    assertEquals(field, body.getString("field"), body::encode);
    assertNotNull(body.getString("message"));
  }
}
