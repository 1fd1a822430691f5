package marketdata;

import static marketdata.MarketData.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * {@code /ws/quotes} on the API's own port, as seed 003's clients use it: a client written to the
 * seed's text ("accepts subscribe or update messages and pushes {"type":"snapshot","quotes":{...}}
 * snapshots using the same quote structure as the HTTP endpoint"), which handles nothing but
 * snapshot frames, follows live ticks produced to Kafka.
 */
@Tag("integration")
class SeedClientTest {
  @RegisterExtension
  static final MarketData.Running running = MarketData.perClass(new JsonObject());

  private static final ServiceUnderTest service = running.service;

  /**
   * The seed's client: its state is the last snapshot's quotes; it ignores (and here counts)
   * anything else.
   */
  static final class SeedClient {
    final WebSocket socket;
    volatile Map<String, JsonObject> quotes = Map.of();
    final AtomicInteger snapshots = new AtomicInteger();
    final AtomicInteger otherFrames = new AtomicInteger();

    SeedClient(int port, String path) {
      socket =
          Await.result(
              service
                  .vertx
                  .createWebSocketClient(new WebSocketClientOptions())
                  .connect(TestInfra.socketWithToken(service.vertx, port, path)));
      socket.textMessageHandler(
          text -> {
            JsonObject message = new JsonObject(text);
            if ("snapshot".equals(message.getString("type"))) {
              Map<String, JsonObject> next = new ConcurrentHashMap<>();
              message
                  .getJsonObject("quotes")
                  .forEach(e -> next.put(e.getKey(), (JsonObject) e.getValue()));
              quotes = next;
              snapshots.incrementAndGet();
            } else {
              otherFrames.incrementAndGet();
            }
          });
    }

    void send(String type, String... symbols) {
      Await.result(
          socket.writeTextMessage(
              new JsonObject()
                  .put("type", type)
                  .put("symbols", new JsonArray(List.of((Object[]) symbols)))
                  .encode()));
    }

    String price(String symbol) {
      JsonObject quote = quotes.get(symbol);
      return quote == null ? null : quote.getString("price");
    }
  }

  @Test
  void seedClientOnTheApiPortFollowsLiveTicksThroughSnapshotsAlone() {
    String aapl = MarketData.symbol("SEEDA");
    String msft = MarketData.symbol("SEEDM");
    long t0 = System.currentTimeMillis();
    running.produce(MarketData.tick(aapl, "189.42", t0));
    Await.until(
        "first quote stored", WAIT, () -> MarketData.count(service, "realtime_quote", aapl) == 1);

    SeedClient client = new SeedClient(service.port(), "/ws/quotes");
    client.send("subscribe", aapl, msft);
    Await.until("the first snapshot", WAIT, () -> "189.42".equals(client.price(aapl)));
    JsonObject rest =
        service.get("/api/v1/quotes?symbols=" + aapl).bodyAsJsonObject().getJsonObject("quotes");
    assertEquals(
        rest.getJsonObject(aapl),
        client.quotes.get(aapl),
        "the same quote structure as GET /api/v1/quotes");

    // live ticks, one symbol at a time: each snapshot still holds both
    for (int i = 1; i <= 20; i++) {
      String symbol = i % 2 == 0 ? aapl : msft;
      running.produce(MarketData.tick(symbol, (100 + i) + ".25", t0 + i));
    }
    Await.until(
        "the client converged on the last ticks",
        WAIT,
        () -> "120.25".equals(client.price(aapl)) && "119.25".equals(client.price(msft)));
    assertEquals(
        0, client.otherFrames.get(), "a client that never asked for deltas sees snapshots only");
    assertTrue(client.snapshots.get() >= 2, "snapshots kept coming after the first");

    client.send("update", msft);
    Await.until(
        "update replaced the subscription",
        WAIT,
        () -> client.quotes.keySet().equals(java.util.Set.of(msft)));
    Await.result(client.socket.close());
  }

  @Test
  void deltaFramesOnlyForAClientThatAsksForThem() {
    String symbol = MarketData.symbol("DELTA");
    String other = MarketData.symbol("DELTB");
    long t0 = System.currentTimeMillis();
    running.produce(MarketData.tick(other, "5", t0));
    Await.until(
        "quote stored", WAIT, () -> MarketData.count(service, "realtime_quote", other) == 1);
    MarketData.Client client =
        MarketData.Client.connect(service.vertx, service.port(), "/ws/quotes?frames=delta");
    client.subscribe("subscribe", symbol, other);
    client.awaitFrame("snapshot", f -> "snapshot".equals(f.getString("type")));
    running.produce(MarketData.tick(symbol, "1.5", t0 + 1));
    JsonObject delta = client.awaitFrame("a delta", f -> "quotes".equals(f.getString("type")));
    assertEquals(
        java.util.Set.of(symbol),
        delta.getJsonObject("quotes").fieldNames(),
        "only the changed quote");
    Await.result(client.close());
  }

  /**
   * An API JVM without the push role, and no API_WS_UPSTREAM, has nothing to relay to: 503, retry
   * elsewhere.
   */
  @Test
  void withoutAPushServerTheUpgradeIs503() {
    ServiceUnderTest apiOnly =
        ServiceUnderTest.start(new JsonObject().put(contract.ConfigKeys.ROLES, "api"));
    try {
      Throwable refused =
          Await.result(
              apiOnly
                  .vertx
                  .createWebSocketClient()
                  .connect(TestInfra.socketWithToken(apiOnly.vertx, apiOnly.port(), "/ws/quotes"))
                  .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())));
      assertNotNull(refused);
      assertTrue(refused.getMessage().contains("503"), refused::getMessage);
    } finally {
      apiOnly.close();
    }
  }

  @Test
  void otherWebSocketPathsOnTheApiPortAre404AndAPlainGetIs400() {
    Throwable refused =
        Await.result(
            service
                .vertx
                .createWebSocketClient()
                .connect(TestInfra.socketWithToken(service.vertx, service.port(), "/ws/other"))
                .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())));
    assertNotNull(refused);
    assertTrue(refused.getMessage().contains("404"), refused::getMessage);
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> plain =
        service.get("/ws/quotes");
    assertEquals(400, plain.statusCode(), "a plain GET of the WebSocket path");
    assertEquals("upgrade", plain.bodyAsJsonObject().getString("field"));
    assertEquals(
        200, service.get("/health").statusCode(), "and plain HTTP still goes to the router");
  }
}
