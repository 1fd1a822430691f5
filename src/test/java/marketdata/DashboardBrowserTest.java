package marketdata;

import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live dashboard in a real browser ({@link Browser}). Ticks produced to Kafka must show in the page's grid.
 * The screenshot goes to target/dashboard.png: a test never rewrites a tracked file;
 * {@code deploy/refresh-screenshot.sh} copies it to docs/dashboard.png.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {
  private static final Path SCREENSHOT = Path.of("target/dashboard.png");
  private static ServiceUnderTest service;
  private static MarketData.Running running;

  @BeforeAll
  static void deploy() {
    Browser.requireTools();
    running = MarketData.start(new JsonObject());
    service = running.service;
  }

  @AfterAll
  static void close() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void ticksFromKafkaAppearInTheLiveGrid() throws Exception {
    seedTrades();
    List<String> symbols = List.of("AAPL", "MSFT", "NVDA", "TSLA", "AMZN");
    long now = System.currentTimeMillis();
    Map<String, String> prices = Map.of("AAPL", "189.42", "MSFT", "415.07", "NVDA", "131.88", "TSLA", "248.5",
        "AMZN", "186.13");
    String url = "http://127.0.0.1:" + service.port() + "/?symbols=" + String.join(",", symbols);
    String expect = symbols.stream().map(s -> s + "=" + prices.get(s)).collect(Collectors.joining(","));

    Browser.Script browser = Browser.run("--url", url, "--expect", expect,
        "--screenshot", SCREENSHOT.toAbsolutePath().toString(), "--timeout", "45000");
    try {
      Await.until("the page to open its WebSocket", MarketData.WAIT,
          () -> browser.output.contains("READY") || !browser.process.isAlive());
      assertTrue(browser.output.contains("READY"), () -> "browser did not get ready: " + browser.output);

      for (String symbol : symbols) {
        // a first tick, then the final one: the grid must end on the newest price
        running.produce(MarketData.tick(symbol, "100", now - 1000));
        running.produce(MarketData.tick(symbol, prices.get(symbol), now));
      }
      browser.awaitSuccess(90);
      assertTrue(browser.output.stream().anyMatch(line -> line.startsWith("OK 5 quotes shown")), browser.output::toString);
      assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot written to " + SCREENSHOT);
    } finally {
      browser.destroy();
    }
  }

  /** A few trades, so the statistics panel has something to show where the statistics endpoint exists. */
  private static void seedTrades() {
    LocalDate today = TestClock.today();
    for (int i = 1; i <= 3; i++) {
      service.postJson("/api/v1/trades", new JsonObject().put("trade_id", "DASH-" + i).put("version", 1)
          .put("counter_party_id", "CP-" + i).put("book_id", "B" + (i % 2 + 1))
          .put("maturity_date", today.plusDays(30L * i).toString()).put("created_date", today.toString()));
    }
  }
}
