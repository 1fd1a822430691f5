package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import push.QuoteProtocol;
import support.Await;
import support.ServiceUnderTest;
import verticles.QuotePushVerticle;

/**
 * A client relayed through the API port that stops answering pings is closed by the relay, and so
 * is its relayed connection on the push server: the push server's own pings are answered by the
 * relay, not the client.
 */
@Tag("integration")
class RelayHeartbeatTest {
  private static final long PING_MS = 200;
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.WS_PING_INTERVAL_MS, PING_MS));

  private static int pushConnections() {
    return Await.result(
            service.http.get(service.pushPort(), "127.0.0.1", QuotePushVerticle.STATS_PATH).send())
        .bodyAsJsonObject()
        .getInteger("connections");
  }

  @Test
  void aRelayedClientThatStopsAnsweringIsClosedWithItsPushConnection() {
    Await.until("no connections yet", WAIT, () -> pushConnections() == 0);
    MarketData.Client alive =
        MarketData.Client.connect(service.vertx, service.port(), QuoteProtocol.PATH);
    MarketData.Client silent =
        MarketData.Client.connect(service.vertx, service.port(), QuoteProtocol.PATH);
    Await.until("both relayed to the push server", WAIT, () -> pushConnections() == 2);

    silent.socket.pause(); // no reads, so no pongs
    Await.until(
        "the silent client's relayed connection is closed", WAIT, () -> pushConnections() == 1);
    long stillAfter = System.currentTimeMillis() + 5 * PING_MS;
    Await.until("five more ping intervals", WAIT, () -> System.currentTimeMillis() > stillAfter);
    assertEquals(1, pushConnections(), "a client that answers pings stays relayed");
    assertEquals(null, alive.closeStatus, "a client that answers pings stays open");
    silent.socket.resume();
    Await.result(alive.close());
  }
}
