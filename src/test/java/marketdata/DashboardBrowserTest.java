package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;

/**
 * The live dashboard in a real browser ({@link Browser}), against a service with metrics on: ticks
 * produced to Kafka show in the grid; a clicked symbol's candle chart loads its stored bars and its
 * last candle follows a live tick; the operations panel moves under a burst of trades; the status
 * badge says "reconnecting" and then "live" when the page's WebSocket drops; the portfolio panel
 * shows positions, valuations and its VaR line. The screenshot goes to target/dashboard.png: a test
 * never rewrites a tracked file; {@code deploy/refresh-screenshot.sh} copies it to
 * docs/dashboard.png.
 */
@Tag("browser")
class DashboardBrowserTest {
  private static final Path SCREENSHOT = Path.of("target/dashboard.png");
  private static final String PORTFOLIO = "dashboard-desk";
  private static final int VALUATIONS = 48;

  @RegisterExtension
  static final MarketData.Running running =
      MarketData.perClass(TestInfra::vertxWithMetrics, new JsonObject());

  private static final ServiceUnderTest service = running.service;

  @BeforeAll
  static void requireTools() {
    Browser.requireTools();
  }

  @Test
  void chartsFollowTicksTradesAndReconnects() throws Exception {
    seedTrades(3, "DASH-");
    seedPortfolio();
    List<String> symbols = List.of("AAPL", "MSFT", "NVDA", "TSLA", "AMZN");
    long now = System.currentTimeMillis();
    Map<String, String> prices =
        Map.of(
            "AAPL", "189.42", "MSFT", "415.07", "NVDA", "131.88", "TSLA", "248.5", "AMZN",
            "186.13");
    produceMinuteHistory("AAPL", now, 30);
    String url =
        Browser.withToken(
            "http://127.0.0.1:"
                + service.port()
                + "/?portfolio="
                + PORTFOLIO
                + "&symbols="
                + String.join(",", symbols),
            service);
    String expect =
        symbols.stream().map(s -> s + "=" + prices.get(s)).collect(Collectors.joining(","));
    String chartClose = "190.01";

    Browser.Script browser =
        Browser.run(
            "--url",
            url,
            "--expect",
            expect,
            "--chart",
            "AAPL",
            "--chart-close",
            chartClose,
            "--ops-burst",
            "true",
            "--reconnect",
            "true",
            "--portfolio-points",
            Integer.toString(VALUATIONS),
            "--responsive",
            "true",
            "--wall-screenshot",
            Path.of("target/dashboard-wall.png").toAbsolutePath().toString(),
            "--screenshot",
            SCREENSHOT.toAbsolutePath().toString(),
            "--timeout",
            "45000");
    try {
      browser.awaitLine("READY", MarketData.WAIT);
      for (String symbol : symbols) {
        // a first tick, then the final one: the grid must end on the newest price
        running.produce(
            MarketData.tick(
                symbol,
                new java.math.BigDecimal(prices.get(symbol))
                    .subtract(java.math.BigDecimal.ONE)
                    .toPlainString(),
                now - 1000));
        running.produce(MarketData.tick(symbol, prices.get(symbol), now));
      }
      browser.awaitLine("CHART_OPEN", MarketData.WAIT);
      running.produce(MarketData.tick("AAPL", chartClose, System.currentTimeMillis()));
      browser.awaitLine("OPS_WATCH", MarketData.WAIT);
      seedTrades(40, "BURST-");
      browser.awaitSuccess(120);
      for (String step :
          List.of(
              "OK 5 quotes shown",
              "CHART_UPDATED",
              "OPS_MOVED",
              "RECONNECTED",
              "PORTFOLIO",
              "RESPONSIVE")) {
        assertTrue(
            browser.output.stream().anyMatch(line -> line.startsWith(step)),
            () -> step + ": " + browser.output);
      }
      assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot written to " + SCREENSHOT);
    } finally {
      browser.destroy();
    }
  }

  @Test
  void operationsEndpointReportsTheNodesMeters() {
    seedTrades(2, "OPS-");
    JsonObject ops =
        Await.until(
            "REST trades in the ops document",
            MarketData.WAIT,
            () -> service.http.get("/api/v1/dashboard/ops").send().map(r -> r.bodyAsJsonObject()),
            body ->
                body.getJsonObject("trades_processed").getDouble("rest", 0d) >= 2
                    && body.getJsonObject("trade_post_latency").getLong("count") >= 2);
    JsonArray buckets = ops.getJsonObject("trade_post_latency").getJsonArray("buckets");
    assertTrue(!buckets.isEmpty(), ops::encode);
    double last = -1;
    for (Object bucket : buckets) {
      double count = ((JsonArray) bucket).getDouble(1);
      assertTrue(count >= last, () -> "cumulative bucket counts: " + buckets);
      last = count;
    }
    assertEquals(
        ops.getJsonObject("trade_post_latency").getLong("count").doubleValue(),
        last,
        0.0,
        ops::encode);
    for (String level :
        List.of("records_ingested", "kafka_lag_max", "outbox_backlog_rows", "ws_connections")) {
      assertTrue(ops.getValue(level) instanceof Number, () -> level + " in " + ops.encode());
    }
  }

  /**
   * Trades through the REST API: the statistics panel's content, and a burst the operations panel
   * must show.
   */
  private static void seedTrades(int count, String prefix) {
    LocalDate today = TestClock.today();
    String run = Long.toString(System.nanoTime(), 36);
    for (int i = 1; i <= count; i++) {
      service.postJson(
          "/api/v1/trades",
          new JsonObject()
              .put("trade_id", prefix + run + "-" + i)
              .put("version", 1)
              .put("counter_party_id", "CP-" + i % 5)
              .put("book_id", "B" + (i % 2 + 1))
              .put("maturity_date", today.plusDays(30L * (i % 12 + 1)).toString())
              .put("created_date", today.toString()));
    }
  }

  /**
   * Four ticks a minute for the last {@code minutes} minutes, a gentle walk, so the candle chart
   * has a shape.
   */
  private static void produceMinuteHistory(String symbol, long now, int minutes) {
    double price = 185;
    for (int i = minutes; i >= 2; i--) {
      for (int tick = 0; tick < 4; tick++) {
        price += Math.sin(i / 3.0) * 0.3 + Math.cos(i * 7.0 + tick * 2.0) * 0.4;
        running.produce(
            MarketData.tick(
                symbol,
                String.format(java.util.Locale.ROOT, "%.2f", price),
                now - i * 60_000L + tick * 15_000L));
      }
    }
  }

  /**
   * A portfolio of the grid's symbols with two days of hourly valuations (rows written before the
   * seed drops caches).
   */
  private static void seedPortfolio() {
    service.sql(
        "INSERT INTO portfolio_history (portfolio_id, ts, total_value) SELECT $1,"
            + " date_trunc('hour', now()) - make_interval(hours => g), 250000 + 4000 * sin(g / 5.0)"
            + " - 150 * g FROM generate_series(1, "
            + VALUATIONS
            + ") g ON CONFLICT DO NOTHING",
        PORTFOLIO);
    JsonArray positions = new JsonArray();
    Map.of("AAPL", 400, "MSFT", 150, "NVDA", 500, "TSLA", 120, "AMZN", 200)
        .forEach(
            (symbol, quantity) ->
                positions.add(new JsonObject().put("symbol", symbol).put("quantity", quantity)));
    assertEquals(
        200,
        service
            .postJson(
                "/api/v1/seed",
                new JsonObject()
                    .put("portfolio_id", PORTFOLIO)
                    .put("name", "Desk book")
                    .put("currency", "USD")
                    .put("positions", positions))
            .statusCode());
  }
}
