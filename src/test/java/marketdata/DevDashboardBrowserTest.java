package marketdata;

import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.ServiceUnderTest;

/**
 * Dev mode's promise: with the quote simulator on and nothing produced by hand, the dashboard shows
 * moving quotes within 10 s of the service being ready, and a clicked symbol's candle chart moves
 * with the simulator's ticks. Its own class, so its service is the only price consumer.
 */
@Tag("browser")
class DevDashboardBrowserTest {
  private static final long WITHIN_MS = 10_000;

  @Test
  void simulatedQuotesMoveOnTheDashboardWithinTenSecondsOfReady() throws Exception {
    Browser.requireTools();
    String first = MarketData.symbol("DEVA");
    String symbols = String.join(",", first, MarketData.symbol("DEVB"), MarketData.symbol("DEVC"));
    ServiceUnderTest service =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.QUOTE_SIMULATOR, true)
                .put(ConfigKeys.QUOTE_SIMULATOR_SYMBOLS, symbols));
    long readyAt = System.nanoTime();
    Browser.Script browser =
        Browser.run(
            "--url",
            Browser.withToken(
                "http://127.0.0.1:" + service.port() + "/?symbols=" + symbols, service),
            "--moving",
            "3",
            "--chart",
            first,
            "--timeout",
            Long.toString(WITHIN_MS),
            "--screenshot",
            java.nio.file.Path.of("target/dashboard-dev.png").toAbsolutePath().toString());
    try {
      browser.awaitLine("MOVING ", java.time.Duration.ofSeconds(60));
      long tookMs = (System.nanoTime() - readyAt) / 1_000_000;
      assertTrue(tookMs < WITHIN_MS, () -> "moving quotes " + tookMs + " ms after ready");
      browser.awaitSuccess(60);
      assertTrue(
          browser.output.stream().anyMatch(line -> line.startsWith("CHART_UPDATED ")),
          browser.output::toString);
    } finally {
      browser.destroy();
      service.close();
    }
  }
}
