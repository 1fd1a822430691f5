package deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import store.PgPools;
import support.ApiClients;
import support.Await;
import support.Lanes;
import support.QuoteSockets;
import support.ServiceProcess;
import support.TestInfra;
import support.Trades;

/**
 * A small cluster of the packaged jar, an edge node and a worker node, started with exactly the
 * environment a file under {@code deploy/} gives them; only the keys that place a node on this one
 * machine differ ({@link #placed}). Everything the files leave unset is the shipped default: auth
 * on, and the rate limit's buckets in Redis, since the nodes are clustered. Then the edge is used
 * as a client uses it: a trade, a record, a ledger transfer, the quotes WebSocket through the API
 * port, and a burst past the rate limit. A change to the files that breaks the edge fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ShippedClusterChecks {
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final int BURST_LANES = 64;
  private final List<ServiceProcess> nodes = new ArrayList<>();
  private Vertx vertx;
  private WebClient operator;
  private WebClient anonymous;
  private Pool pg;
  private int edgePort;

  /**
   * The nodes to start, the edge (the one with the api role) among them, with their environments.
   */
  abstract List<ShippedManifests.Node> manifest();

  @BeforeAll
  void startCluster() {
    List<ShippedManifests.Node> manifest = manifest();
    String cluster = getClass().getSimpleName() + "-" + UUID.randomUUID();
    int clusterPort = ServiceProcess.freeClusterPort();
    for (ShippedManifests.Node node : manifest) {
      Map<String, String> environment = placed(node, cluster, clusterPort);
      ServiceProcess started =
          ServiceProcess.startJar(getClass().getSimpleName() + "-" + node.name(), environment);
      nodes.add(started);
      if (node.roles().contains("api")) {
        edgePort = started.httpPort();
      }
    }
    assertTrue(edgePort > 0, "no node with the api role in " + manifest);
    vertx = Vertx.vertx();
    anonymous =
        ApiClients.webClient(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(edgePort));
    operator =
        TestInfra.withToken(
            anonymous, TestInfra.bearer(vertx, "deployment-test", TestInfra.OPERATOR_SCOPES));
    pg = PgPools.create(vertx, TestInfra.config());
  }

  /**
   * The node's environment with the keys that place it on this machine replaced, each for the
   * reason given; every other key is the file's own.
   */
  private static Map<String, String> placed(
      ShippedManifests.Node node, String cluster, int clusterPort) {
    Map<String, String> environment = new HashMap<>(node.environment());
    // the test's servers, token secret and ledger keys, in place of the files' placeholders
    TestInfra.serviceSettings()
        .forEach(setting -> environment.put(setting.getKey(), String.valueOf(setting.getValue())));
    // every node on this machine's loopback, each on free ports of its own, read back once bound
    environment.putAll(
        Map.of(
            ConfigKeys.HTTP_HOST,
            "127.0.0.1",
            ConfigKeys.EVENTBUS_HOST,
            "127.0.0.1",
            ConfigKeys.EVENTBUS_PUBLIC_HOST,
            "127.0.0.1",
            ConfigKeys.EVENTBUS_PORT,
            "0",
            ConfigKeys.HTTP_PORT,
            "0",
            ConfigKeys.PUSH_HTTP_PORT,
            "0",
            ConfigKeys.MANAGEMENT_PORT,
            "0"));
    // peers found over TCP on this machine (there is no Kubernetes API here), in a cluster no other
    // test joins
    environment.putAll(
        Map.of(
            ConfigKeys.CLUSTER_DISCOVERY,
            "tcp",
            ConfigKeys.CLUSTER_MEMBERS,
            "127.0.0.1",
            ConfigKeys.CLUSTER_PORT,
            Integer.toString(clusterPort),
            ConfigKeys.CLUSTER_NAME,
            cluster));
    return environment;
  }

  @AfterAll
  void stopCluster() {
    nodes.forEach(ServiceProcess::close);
    if (vertx != null) {
      Await.result(pg.close());
      Await.result(vertx.close());
    }
  }

  @Test
  @Order(1)
  void aTradePostedAtTheEdgeIsStored() {
    String id = "SHIP-" + UUID.randomUUID();
    HttpResponse<Buffer> created =
        Await.result(
            operator
                .post("/api/v1/trades")
                .sendJsonObject(Trades.json(id, 1, "B1", LocalDate.now().plusYears(1))));
    assertEquals(201, created.statusCode(), created::bodyAsString);
    assertEquals(1L, count("SELECT count(*) FROM trades WHERE trade_id = $1", id));
  }

  @Test
  @Order(2)
  void aRecordPostedAtTheEdgeIsIngested() {
    String id = "SHIP-" + UUID.randomUUID();
    HttpResponse<Buffer> accepted =
        Await.result(
            operator
                .post("/records")
                .sendJsonObject(
                    new JsonObject()
                        .put("recordId", id)
                        .put("time", "2026-01-01T00:00:00Z")
                        .put("sourceId", "source-a")
                        .put("destinationId", "D-SHIP")
                        .put("type", "positive")
                        .put("value", "1.5")
                        .put("unit", "SEK")
                        .put("reference", "shipped-config")));
    assertEquals(202, accepted.statusCode(), accepted::bodyAsString);
    Await.until(
        "the record stored by the worker",
        CONVERGE,
        () -> count("SELECT count(*) FROM records WHERE record_id = $1", id) == 1);
  }

  @Test
  @Order(3)
  void aLedgerTransferAtTheEdgeMovesTheAmount() {
    String sender = "SHIP-S-" + UUID.randomUUID();
    String receiver = "SHIP-R-" + UUID.randomUUID();
    HttpResponse<Buffer> seeded =
        Await.result(
            operator
                .post("/api/v1/blockchain/seed-balance")
                .sendJsonObject(new JsonObject().put("account_id", sender).put("amount", "100")));
    assertEquals(201, seeded.statusCode(), seeded::bodyAsString);
    HttpResponse<Buffer> moved =
        Await.result(
            operator
                .post("/api/v1/blockchain/transfers")
                .sendJsonObject(
                    new JsonObject()
                        .put("sender_account_id", sender)
                        .put("receiver_account_id", receiver)
                        .put("amount", "10")));
    assertEquals(201, moved.statusCode(), moved::bodyAsString);
    HttpResponse<Buffer> balance =
        Await.result(
            operator.get("/api/v1/blockchain/balances").addQueryParam("account_id", sender).send());
    assertEquals(200, balance.statusCode(), balance::bodyAsString);
    assertEquals(
        0,
        new BigDecimal("90")
            .compareTo(new BigDecimal(balance.bodyAsJsonObject().getString("balance"))),
        balance::bodyAsString);
  }

  @Test
  @Order(4)
  void theQuotesWebSocketOnTheApiPortAnswersASubscription() {
    assertEquals(
        "snapshot",
        QuoteSockets.firstFrameAfterSubscribing(vertx, edgePort, "SHIPWS").getString("type"),
        "the relayed push server answers");
  }

  /**
   * Last: it empties this client's bucket. An expensive read (x-rate-limit: expensive in
   * openapi.yaml) shares the shipped limit's buckets and path, Redis included, with the default
   * tier's 1,000 a second and burst of 2,000, at 5 a second and a burst of 20: a burst past it is
   * refused however fast this machine answers.
   */
  @Test
  @Order(5)
  void aBurstPastTheLimitIs429WithRetryAfter() {
    List<HttpResponse<Buffer>> answers = Collections.synchronizedList(new ArrayList<>());
    Await.result(
        Lanes.run(
            IntStream.range(0, 200).boxed().toList(),
            BURST_LANES,
            i ->
                operator
                    .get("/records/aggregations")
                    .addQueryParam("size", "1")
                    .send()
                    .onSuccess(answers::add)),
        CONVERGE);
    List<HttpResponse<Buffer>> limited =
        answers.stream().filter(answer -> answer.statusCode() == 429).toList();
    assertFalse(limited.isEmpty(), "no 429 in " + answers.size() + " requests");
    assertEquals(
        answers.size(),
        limited.size() + answers.stream().filter(answer -> answer.statusCode() == 200).count(),
        "every answer is 200 or 429");
    assertEquals("RATE_LIMITED", limited.get(0).bodyAsJsonObject().getString("error"));
    assertTrue(
        Long.parseLong(limited.get(0).getHeader("Retry-After")) >= 1, "Retry-After in seconds");
  }

  private long count(String sql, String id) {
    return Await.result(pg.preparedQuery(sql).execute(Tuple.of(id))).iterator().next().getLong(0);
  }
}
