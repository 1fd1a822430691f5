package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import push.QuoteProtocol;
import support.Await;
import support.QuoteSockets;
import support.ServiceUnderTest;

/**
 * AUTH_READS=token: reads need a valid token (any scope), health stays open; the quotes WebSocket
 * refuses a foreign {@code Origin} and a missing token before the upgrade, and accepts a listed
 * origin with a token.
 */
@Tag("integration")
class ReadsAndWebSocketTest {
  private static final String DESK = "https://desk.example.com";

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "api,push")
              .put(ConfigKeys.AUTH_READS, "token")
              .put(ConfigKeys.WS_ALLOWED_ORIGINS, DESK + ", https://wall.example.com"));

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
  void readsNeedAToken() {
    assertEquals(401, Await.result(service.anonymous.get("/api/v1/trades").send()).statusCode());
    assertEquals(
        200,
        Await.result(
                service
                    .anonymous
                    .get("/api/v1/trades")
                    .putHeader("Authorization", AuthTest.token(service, ""))
                    .send())
            .statusCode(),
        "any valid token reads");
  }

  @Test
  void healthStaysOpen() {
    assertEquals(200, Await.result(service.anonymous.get("/health/live").send()).statusCode());
    assertEquals(200, Await.result(service.anonymous.get("/health/ready").send()).statusCode());
  }

  @Test
  void aForeignOriginIsRefused() {
    assertEquals(
        403,
        QuoteSockets.rejection(connect("https://evil.example.net", AuthTest.token(service, ""))));
  }

  @Test
  void aForeignOriginIsRefusedOnTheApiPortToo() {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(service.port())
            .setURI(QuoteProtocol.PATH)
            .addHeader("Origin", "https://evil.example.net")
            .addHeader("Authorization", AuthTest.token(service, ""));
    assertEquals(403, QuoteSockets.rejection(ws.connect(options)));
    assertEquals(
        401,
        QuoteSockets.rejection(
            ws.connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(service.port())
                    .setURI(QuoteProtocol.PATH)
                    .addHeader("Origin", DESK))),
        "reads need a token on the API port too");
  }

  /**
   * Through the API port's relay, with reads needing a token: the relay forwards the client's
   * Authorization, which the push server checks again. Fails when the relay drops it (the push
   * server refuses, the relay answers 401).
   */
  @Test
  void aTokenOpensTheRelayedSocketOnTheApiPort() {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(service.port())
            .setURI(QuoteProtocol.PATH)
            .addHeader("Origin", DESK)
            .addHeader("Authorization", AuthTest.token(service, ""));
    assertEquals(
        "snapshot",
        QuoteSockets.firstFrameAfterSubscribing(service.vertx, options, "SECRELAY")
            .getString("type"),
        "the push server answers through the relay");
  }

  @Test
  void aMissingOrBadTokenIsRefused() {
    assertEquals(401, QuoteSockets.rejection(connect(DESK, null)));
    assertEquals(401, QuoteSockets.rejection(connect(DESK, "Bearer forged.token.value")));
  }

  @Test
  void anAllowedOriginWithATokenConnectsAndGetsFrames() {
    WebSocket socket = Await.result(connect(DESK, AuthTest.token(service, "")));
    try {
      io.vertx.core.Promise<JsonObject> frame = io.vertx.core.Promise.promise();
      socket.textMessageHandler(text -> frame.tryComplete(new JsonObject(text)));
      Await.result(
          socket.writeTextMessage(
              new JsonObject()
                  .put("type", "subscribe")
                  .put("symbols", new io.vertx.core.json.JsonArray().add("SECWS"))
                  .encode()));
      assertTrue(
          Await.result(frame.future()).containsKey("type"), "the hub answers the subscription");
    } finally {
      Await.result(socket.close());
    }
  }

  private static Future<WebSocket> connect(String origin, String authorization) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(service.pushPort())
            .setURI(QuoteProtocol.PATH);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    if (authorization != null) {
      options.addHeader("Authorization", authorization);
    }
    return ws.connect(options);
  }
}
