package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;

/**
 * The live dashboard in a real browser: Debian's chromium driven by playwright-core (src/test/browser).
 * Ticks produced to Kafka must show in the page's grid. The screenshot goes to target/dashboard.png: a test
 * never rewrites a tracked file; {@code deploy/refresh-screenshot.sh} copies it to docs/dashboard.png.
 * Missing chromium or node modules fail the test (not skip it): deploy/ensure-tools.sh installs them.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {
  private static final Path BROWSER_DIR = Path.of("src/test/browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOT = Path.of("target/dashboard.png");
  private static ServiceUnderTest service;
  private static MarketData.Running running;

  @BeforeAll
  static void deploy() {
    requireTools();
    running = MarketData.start(new JsonObject());
    service = running.service;
  }

  @AfterAll
  static void close() {
    if (running != null) {
      running.close();
    }
  }

  private static void requireTools() {
    String hint = " Run deploy/ensure-tools.sh (it installs chromium and runs npm ci in src/test/browser).";
    if (!Files.isExecutable(CHROMIUM)) {
      fail("Browser test needs Debian's chromium at " + CHROMIUM + "." + hint);
    }
    if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
      fail("Browser test needs playwright-core in " + BROWSER_DIR + "/node_modules." + hint);
    }
    try {
      if (new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS)) {
        return;
      }
    } catch (IOException | InterruptedException e) {
      // reported below
    }
    fail("Browser test needs node on the PATH." + hint);
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

    Process node = new ProcessBuilder("node", "dashboard.js", "--url", url, "--expect", expect,
        "--screenshot", SCREENSHOT.toAbsolutePath().toString(), "--timeout", "45000")
        .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
    Queue<String> output = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> readLines(node, output), "dashboard-node-output");
    reader.start();
    try {
      Await.until("the page to open its WebSocket", MarketData.WAIT, () -> output.contains("READY") || !node.isAlive());
      assertTrue(output.contains("READY"), () -> "browser did not get ready: " + output);

      for (String symbol : symbols) {
        // a first tick, then the final one: the grid must end on the newest price
        running.produce(MarketData.tick(symbol, "100", now - 1000));
        running.produce(MarketData.tick(symbol, prices.get(symbol), now));
      }
      assertTrue(node.waitFor(90, TimeUnit.SECONDS), () -> "browser script timed out: " + output);
      reader.join(5_000);
      assertEquals(0, node.exitValue(), () -> "browser script failed: " + String.join("\n", output));
      assertTrue(output.stream().anyMatch(line -> line.startsWith("OK 5 quotes shown")), output::toString);
      assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot written to " + SCREENSHOT);
    } finally {
      node.destroyForcibly();
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

  private static void readLines(Process process, Queue<String> output) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
      }
    } catch (IOException e) {
      output.add("output read failed: " + e.getMessage());
    }
  }
}
