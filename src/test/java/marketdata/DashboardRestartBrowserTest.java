package marketdata;

import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.ServiceUnderTest;

/**
 * The dashboard outlives a restart of the service: the badge turns to "reconnecting" when the
 * service stops and back to "live" once a new one listens on the same HTTP port. Its push server
 * binds any free port, as it may move after a real restart: the page reads its settings again
 * before each attempt.
 */
@Tag("browser")
class DashboardRestartBrowserTest {
  @Test
  void badgeReconnectsAfterTheServiceRestarts() throws Exception {
    Browser.requireTools();
    JsonObject edgeOnly = new JsonObject().put(ConfigKeys.ROLES, "api,push");
    ServiceUnderTest first = ServiceUnderTest.start(edgeOnly);
    // the restarted service binds where the page reconnects: the port the first one bound
    edgeOnly.put(ConfigKeys.HTTP_PORT, first.port());
    ServiceUnderTest second = null;
    Browser.Script browser =
        Browser.run(
            "--url",
            Browser.withToken("http://127.0.0.1:" + first.port() + "/?symbols=RESTARTA", first),
            "--restart",
            "true",
            "--timeout",
            "45000");
    try {
      browser.awaitLine("RESTART_WATCH", MarketData.WAIT);
      first.close();
      second = ServiceUnderTest.start(edgeOnly);
      browser.awaitSuccess(90);
      assertTrue(
          browser.output.stream().anyMatch(line -> line.startsWith("RESTARTED")),
          browser.output::toString);
    } finally {
      browser.destroy();
      if (second != null) {
        second.close();
      }
    }
  }
}
