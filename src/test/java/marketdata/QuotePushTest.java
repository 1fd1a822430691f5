package marketdata;

import static marketdata.MarketData.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.Addresses;
import contract.ConfigKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import node.BoundPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.ApiClients;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;
import verticles.QuotePushVerticle;

/** /ws/quotes end to end: Kafka tick → PostgreSQL → quotes.updated → WebSocket frame. */
@Tag("integration")
class QuotePushTest {
  @RegisterExtension
  static final MarketData.Running running = MarketData.perClass(new JsonObject());

  private static final ServiceUnderTest service = running.service;
  private static int pushPort;

  /**
   * A second push verticle with tight limits: 2 connections, 3 symbols, 256-byte messages, 200 ms
   * pings.
   */
  private static int strictPort;

  private static Vertx strictVertx;

  @BeforeAll
  static void deploy() {
    pushPort = service.pushPort();
    // a Vert.x of its own: servers of one Vert.x on "any free port" share it (see http.BoundPorts)
    strictVertx = Vertx.vertx();
    Await.result(
        strictVertx.deployVerticle(
            new QuotePushVerticle(),
            new DeploymentOptions()
                .setConfig(
                    service
                        .config
                        .copy()
                        .put(ConfigKeys.PUSH_HTTP_PORT, 0)
                        .put(ConfigKeys.WS_MAX_CONNECTIONS, 2)
                        .put(ConfigKeys.WS_MAX_SYMBOLS, 3)
                        .put(ConfigKeys.WS_MAX_MESSAGE_BYTES, 256)
                        .put(ConfigKeys.WS_PING_INTERVAL_MS, 200))));
    strictPort = BoundPorts.bound(strictVertx, ConfigKeys.PUSH_HTTP_PORT);
  }

  @AfterAll
  static void close() {
    Await.result(strictVertx.close());
  }

  @Test
  void subscriberGetsASnapshotAtOnceThenEveryChange() {
    String known = MarketData.symbol("SNAP");
    String later = MarketData.symbol("LATE");
    long t0 = System.currentTimeMillis();
    running.produce(MarketData.tick(known, "100.5", t0));
    Await.until(
        "known quote stored", WAIT, () -> MarketData.count(service, "realtime_quote", known) == 1);

    MarketData.Client client = MarketData.Client.connect(service.vertx, pushPort);
    client.subscribe("subscribe", known, later);
    JsonObject snapshot =
        client.awaitFrame("snapshot", f -> "snapshot".equals(f.getString("type")));
    JsonObject quotes = snapshot.getJsonObject("quotes");
    assertEquals(
        new JsonObject()
            .put("symbol", known)
            .put("price", "100.5")
            .put("size", "10")
            .put("timestamp_ms", t0)
            .put("exchange", "XNAS"),
        quotes.getJsonObject(known),
        "same shape as REST");
    assertEquals(1, quotes.size(), "a symbol without quotes is absent");

    running.produce(MarketData.tick(later, "7.25", t0 + 1));
    running.produce(MarketData.tick(known, "101", t0 + 2));
    Await.until(
        "both updates pushed",
        WAIT,
        () -> "7.25".equals(client.lastPrice(later)) && "101".equals(client.lastPrice(known)));
    assertTrue(
        client.ofType("quotes").isEmpty(), "without ?frames=delta every frame is a snapshot");
    client
        .ofType("snapshot")
        .forEach(
            frame ->
                assertTrue(
                    frame.getJsonObject("quotes").fieldNames().stream()
                        .allMatch(s -> s.equals(known) || s.equals(later)),
                    frame::encode));
    JsonObject last = client.ofType("snapshot").get(client.ofType("snapshot").size() - 1);
    assertEquals(
        java.util.Set.of(known, later),
        last.getJsonObject("quotes").fieldNames(),
        "a snapshot after one symbol changed still carries every subscribed quote");

    // update replaces the subscription: the new set comes as a snapshot, dropped symbols stop
    client.frames.clear();
    client.subscribe("update", later);
    JsonObject second =
        client.awaitFrame("second snapshot", f -> "snapshot".equals(f.getString("type")));
    assertEquals(List.of(later), new ArrayList<>(second.getJsonObject("quotes").fieldNames()));
    running.produce(MarketData.tick(known, "102", t0 + 3));
    running.produce(MarketData.tick(later, "8", t0 + 4));
    Await.until("later pushed", WAIT, () -> "8".equals(client.lastPrice(later)));
    assertEquals(null, client.lastPrice(known), "unsubscribed symbol is not pushed");
    Await.result(client.close());
  }

  /**
   * Many clients subscribing at once each get their snapshot (the reads are coalesced: see
   * SnapshotReadsTest).
   */
  @Test
  void everyClientOfASubscribeBurstGetsItsSnapshot() {
    String symbol = MarketData.symbol("BURST");
    long t0 = System.currentTimeMillis();
    running.produce(MarketData.tick(symbol, "42.5", t0));
    Await.until(
        "quote stored", WAIT, () -> MarketData.count(service, "realtime_quote", symbol) == 1);
    int clients = 200;
    List<MarketData.Client> burst = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      burst.add(
          MarketData.Client.connect(
              service.vertx,
              pushPort,
              new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(clients)));
    }
    burst.forEach(client -> client.subscribe("subscribe", symbol));
    for (MarketData.Client client : burst) {
      JsonObject snapshot =
          client.awaitFrame("snapshot", f -> "snapshot".equals(f.getString("type")));
      assertEquals(
          "42.5", snapshot.getJsonObject("quotes").getJsonObject(symbol).getString("price"));
    }
    burst.forEach(client -> Await.result(client.close()));
  }

  @Test
  void olderTickIsNotPushedOverANewerQuote() {
    String symbol = MarketData.symbol("ORD");
    long t0 = System.currentTimeMillis();
    MarketData.Client client = MarketData.Client.connect(service.vertx, pushPort);
    client.subscribe("subscribe", symbol);
    client.awaitFrame("snapshot", f -> "snapshot".equals(f.getString("type")));
    running.produce(MarketData.tick(symbol, "50", t0 + 1000));
    Await.until("first pushed", WAIT, () -> "50".equals(client.lastPrice(symbol)));
    running.produce(MarketData.tick(symbol, "40", t0));
    running.produce(MarketData.tick(symbol, "51", t0 + 2000));
    Await.until("newest pushed", WAIT, () -> "51".equals(client.lastPrice(symbol)));
    assertTrue(
        client.frames.stream().noneMatch(f -> f.encode().contains("\"40\"")),
        "the stale tick never reached the client");
    Await.result(client.close());
  }

  /**
   * A client that stops reading: the server stops writing once the socket's write queue is full and
   * keeps only the latest quote per symbol. Memory stays bounded; once the client reads again it
   * converges.
   */
  @Test
  void slowClientIsConflatedAndConvergesToTheLatestValues() {
    List<String> symbols = IntStream.range(0, 50).mapToObj(i -> MarketData.symbol("SLOW")).toList();
    MarketData.Client slow =
        MarketData.Client.connect(
            service.vertx, pushPort, new WebSocketClientOptions().setReceiveBufferSize(4096));
    slow.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("symbols", new JsonArray(new ArrayList<>(symbols))));
    slow.awaitFrame("snapshot", f -> "snapshot".equals(f.getString("type")));
    slow.socket.pause();

    // Bursts of 50 fresh quotes (~8 kB per frame) onto the bus, as a price consumer would, one a
    // millisecond so
    // the hub drains between them, until the paused client's socket is full and the hub holds its
    // quotes back
    // (how many bytes the kernel absorbs first varies, so the bursts go on until then, within the
    // deadline)
    String padding = "P".repeat(32);
    long t0 = System.currentTimeMillis();
    AtomicInteger round = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Promise<Integer> lastRound = Promise.promise();
    service.vertx.setPeriodic(
        1,
        id -> {
          if (stop
              .get()) { // stopped from the timer itself, so no burst can follow the one counted as
            // last
            service.vertx.cancelTimer(id);
            lastRound.tryComplete(round.get());
            return;
          }
          int r = round.incrementAndGet();
          JsonObject quotes = new JsonObject();
          for (String symbol : symbols) {
            quotes.put(
                symbol,
                new JsonObject()
                    .put("symbol", symbol)
                    .put("price", r + ".0")
                    .put("size", "1")
                    .put("timestamp_ms", t0 + r)
                    .put("exchange", padding));
          }
          service
              .vertx
              .eventBus()
              .publish(Addresses.QUOTES_UPDATED, new JsonObject().put("quotes", quotes));
        });
    JsonObject held;
    try {
      held =
          Await.until(
              "the slow client is held back",
              WAIT,
              () -> stats(pushPort),
              s -> s.getInteger("held_connections") >= 1 && s.getLong("conflated_quotes") > 0);
    } finally {
      stop.set(true);
    }
    int rounds = Await.result(lastRound.future());
    assertTrue(
        held.getInteger("max_pending_per_connection") <= symbols.size(),
        () -> "at most one held quote per symbol: " + held.encode());
    long framesWhileHeld = held.getLong("frames_sent");
    assertTrue(
        framesWhileHeld < rounds, () -> "frames were conflated, not queued: " + held.encode());

    slow.socket.resume();
    Await.until(
        "the slow client converges on the last values",
        WAIT,
        () -> symbols.stream().allMatch(s -> (rounds + ".0").equals(slow.lastPrice(s))));
    JsonObject after = Await.result(stats(pushPort));
    assertEquals(0, after.getInteger("pending_quotes"), after::encode);
    Await.result(slow.close());
  }

  @Test
  void badInputGetsErrorFramesAndTheConnectionSurvives() {
    MarketData.Client client = MarketData.Client.connect(service.vertx, pushPort);
    Await.result(client.socket.writeTextMessage("{oops"));
    client.send(new JsonObject().put("type", "dance").put("symbols", new JsonArray().add("A")));
    client.send(new JsonObject().put("type", "subscribe"));
    client.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("symbols", new JsonArray().add("bad symbol!")));
    Await.until("four error frames", WAIT, () -> client.ofType("error").size() == 4);
    List<JsonObject> errors = client.ofType("error");
    assertEquals("MALFORMED_JSON", errors.get(0).getString("error"));
    assertEquals("type", errors.get(1).getString("field"));
    assertEquals("symbols", errors.get(2).getString("field"));
    assertEquals("symbols", errors.get(3).getString("field"));
    errors.forEach(e -> assertNotNull(e.getString("message")));

    String symbol = MarketData.symbol("LIVE");
    client.subscribe("subscribe", symbol);
    client.awaitFrame("a snapshot after the errors", f -> "snapshot".equals(f.getString("type")));
    assertEquals(null, client.closeStatus);
    Await.result(client.close());
  }

  @Test
  void limitsOnSymbolsMessageSizeAndConnections() {
    MarketData.Client first = MarketData.Client.connect(service.vertx, strictPort);
    first.subscribe("subscribe", "A", "B", "C", "D");
    JsonObject tooMany =
        first.awaitFrame("too many symbols", f -> "error".equals(f.getString("type")));
    assertEquals("symbols", tooMany.getString("field"));
    first.subscribe("subscribe", "A", "B");
    first.awaitFrame("snapshot", f -> "snapshot".equals(f.getString("type")));
    first.frames.clear();
    first.subscribe("subscribe", "C", "D");
    first.awaitFrame("too many in total", f -> "error".equals(f.getString("type")));

    MarketData.Client second = MarketData.Client.connect(service.vertx, strictPort);
    Throwable refused =
        Await.result(
            service
                .vertx
                .createWebSocketClient()
                .connect(TestInfra.socketWithToken(service.vertx, strictPort, "/ws/quotes"))
                .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())));
    assertNotNull(refused, "a third connection is refused");
    assertTrue(refused.getMessage().contains("503"), refused::getMessage);

    Await.result(
        second
            .socket
            .writeTextMessage("{\"type\":\"subscribe\",\"symbols\":[\"" + "A".repeat(400) + "\"]}")
            .otherwiseEmpty());
    JsonObject tooLarge =
        second.awaitFrame("message too large", f -> "error".equals(f.getString("type")));
    assertEquals("PAYLOAD_TOO_LARGE", tooLarge.getString("error"));
    second.subscribe("subscribe", "A");
    second.awaitFrame("the connection survives", f -> "snapshot".equals(f.getString("type")));
    Await.result(second.close());
    Await.result(first.close());
  }

  @Test
  void heartbeatClosesAClientThatStopsAnswering() {
    Await.until(
        "a free slot on the strict server",
        WAIT,
        () -> Await.result(stats(strictPort)).getInteger("connections") == 0);
    MarketData.Client alive = MarketData.Client.connect(service.vertx, strictPort);
    MarketData.Client dead = MarketData.Client.connect(service.vertx, strictPort);
    long closedBefore = Await.result(stats(strictPort)).getLong("closed_by_heartbeat");
    dead.socket.pause(); // no reads, so no pongs
    Await.until(
        "the silent client is closed",
        WAIT,
        () -> Await.result(stats(strictPort)).getLong("closed_by_heartbeat") == closedBefore + 1);
    assertEquals(1, Await.result(stats(strictPort)).getInteger("connections"));
    assertEquals(null, alive.closeStatus, "a client that answers pings stays");
    dead.socket.resume();
    Await.result(alive.close());
  }

  /**
   * One client for the class: a client nothing references may be closed by the garbage collector
   * mid-request.
   */
  private static io.vertx.core.http.HttpClient statsClient;

  private static io.vertx.core.Future<JsonObject> stats(int port) {
    if (statsClient == null) {
      statsClient = ApiClients.httpClient(service.vertx);
    }
    return statsClient
        .request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", QuotePushVerticle.STATS_PATH)
        .compose(
            request ->
                request
                    .putHeader("Authorization", service.token("ops", "ops:read"))
                    .send()
                    .compose(response -> response.body()))
        .map(body -> body.toJsonObject());
  }
}
