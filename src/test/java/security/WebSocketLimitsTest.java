package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import push.QuoteProtocol;
import support.Await;
import support.QuoteSockets;
import support.ServiceUnderTest;
import verticles.QuotePushVerticle;

/**
 * One client cannot hold every quotes WebSocket: past WS_MAX_CONNECTIONS_PER_CLIENT its upgrades
 * are refused with 429, on the push port and through the API port's relay alike, while another
 * client still connects; a closed socket gives its slot back. {@code /ws/stats} is staff's.
 */
@Tag("integration")
class WebSocketLimitsTest {
  private static final int PER_CLIENT = 2;

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "api,push")
              .put(ConfigKeys.WS_MAX_CONNECTIONS, 20)
              .put(ConfigKeys.WS_MAX_CONNECTIONS_PER_CLIENT, PER_CLIENT));

  private static WebSocketClient ws;

  @BeforeAll
  static void start() {
    ws = service.vertx.createWebSocketClient();
  }

  @AfterAll
  static void close() {
    Await.result(ws.close());
  }

  @Test
  void aClientPastItsLimitIsRefusedAndAnotherIsNot() {
    String alice = service.token("ws-alice", "");
    List<WebSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CLIENT; i++) {
        held.add(Await.result(connect(service.pushPort(), alice)));
      }
      assertEquals(
          429,
          QuoteSockets.rejection(connect(service.pushPort(), alice)),
          "alice's third, on the push port");
      assertEquals(
          429,
          QuoteSockets.rejection(connect(service.port(), alice)),
          "and through the API port's relay");
      WebSocket bob = Await.result(connect(service.pushPort(), service.token("ws-bob", "")));
      Await.result(bob.close());

      Await.result(held.remove(0).close());
      Await.until(
          "alice's closed socket gave its slot back",
          Duration.ofSeconds(10),
          () ->
              Await.result(
                  connect(service.pushPort(), alice).map(held::add).map(true).otherwise(false)));
    } finally {
      held.forEach(socket -> Await.result(socket.close()));
    }
  }

  @Test
  void theStatisticsAreForStaff() {
    String path = QuotePushVerticle.STATS_PATH;
    var anonymous =
        Await.result(service.anonymous.get(service.pushPort(), "127.0.0.1", path).send());
    assertEquals(401, anonymous.statusCode());
    assertEquals("UNAUTHORIZED", anonymous.bodyAsJsonObject().getString("error"));
    var customer =
        Await.result(
            service
                .anonymous
                .get(service.pushPort(), "127.0.0.1", path)
                .putHeader("Authorization", service.token("ws-customer", "ledger:write", "C-1"))
                .send());
    assertEquals(403, customer.statusCode());
    var staff =
        Await.result(
            service
                .anonymous
                .get(service.pushPort(), "127.0.0.1", path)
                .putHeader("Authorization", service.token("ws-staff", "ops:read"))
                .send());
    assertEquals(200, staff.statusCode());
    assertTrue(staff.bodyAsJsonObject().containsKey("connections"), staff::bodyAsString);
  }

  private static Future<WebSocket> connect(int port, String authorization) {
    return ws.connect(
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(QuoteProtocol.PATH)
            .addHeader("Authorization", authorization));
  }
}
