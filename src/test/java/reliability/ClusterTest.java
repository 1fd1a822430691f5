package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import audit.Audit;
import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.admin.ConsumerGroupDescription;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import mongo.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import push.QuoteProtocol;
import settings.SettingsCheck;
import support.Await;
import support.ClusterCertificates;
import support.KafkaTestClient;
import support.Seeds;
import support.ServiceProcess;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;
import verticles.TradeConsumerVerticle;

/**
 * Three JVMs of the jar on one Hazelcast-clustered event bus, sharing one Kafka, PostgreSQL, Redis
 * and MongoDB: an edge node (api, push) with no persistence of its own, and two identical worker
 * nodes (every other role, the expiry timer and the outbox dispatcher included). Each runs as a
 * cluster ships: auth on, and the rate limit's buckets in Redis. It proves what clustering
 * promises: a write at the edge is persisted elsewhere, a tick consumed on a worker reaches a
 * WebSocket client on the edge, the expiry acts once per tick, two outbox dispatchers publish each
 * row once in per-key order, the consumers share their partitions, and a {@code kill -9} of a
 * worker mid-stream loses nothing.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
@Tag("cluster")
class ClusterTest {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTest.class);
  private static final Duration CONVERGE = Duration.ofMinutes(Scale.pick(3, 10));
  private static final String WORKER_ROLES =
      "trades,audit,trade-consumer,prices,portfolio,expiry,outbox,events,records,retention";
  private static final long EXPIRY_INTERVAL_MS = 1_000;

  @RegisterExtension
  static final ServiceUnderTest reader =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));

  private static KafkaTestClient kafka;
  private static KafkaAdminClient admin;
  private static MongoClient mongo;
  private static final List<ServiceProcess> nodes = new ArrayList<>();
  private static Node edge;
  private static Node worker1;
  private static Node worker2;

  /** The settings every node shares: the cluster's name, its ports, its timers. */
  private static Map<String, String> cluster;

  /** A JVM of the cluster; its servers bound free ports, read back from its ready line. */
  private record Node(ServiceProcess process) {
    int httpPort() {
      return process.httpPort();
    }

    int pushPort() {
      return process.port(ConfigKeys.PUSH_HTTP_PORT);
    }

    int managementPort() {
      return process.port(ConfigKeys.MANAGEMENT_PORT);
    }
  }

  @BeforeAll
  static void startCluster() {
    kafka =
        new KafkaTestClient(
            reader.vertx, reader.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    admin =
        KafkaAdminClient.create(
            reader.vertx,
            Map.of(
                "bootstrap.servers", reader.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)));
    mongo = MongoClients.create(reader.vertx, reader.config);
    for (String topic : List.of(Topics.TRADES, Topics.RAW_PRICES, Topics.RECORDS_IN)) {
      kafka.createTopic(topic, 3);
    }
    cluster =
        Map.of(
            ConfigKeys.CLUSTER_ENABLED,
            "true",
            ConfigKeys.CLUSTER_NAME,
            "cluster-test-" + UUID.randomUUID(),
            ConfigKeys.CLUSTER_PORT,
            Integer.toString(ServiceProcess.freeClusterPort()),
            ConfigKeys.CLUSTER_PORT_COUNT,
            "10",
            ConfigKeys.EXPIRY_INTERVAL_MS,
            Long.toString(EXPIRY_INTERVAL_MS),
            ConfigKeys.OUTBOX_POLL_INTERVAL_MS,
            "200",
            ConfigKeys.REQUEST_TIMEOUT_MS,
            "3000",
            ConfigKeys.CLUSTER_HEARTBEAT_TIMEOUT_SECONDS,
            "6");
    worker1 = start("cluster-worker-1", WORKER_ROLES, cluster);
    worker2 = start("cluster-worker-2", WORKER_ROLES, cluster);
    edge = start("cluster-edge", "api,push", cluster);
    LOG.info(
        "Cluster of 3 JVMs ready; JVM start to ready (cluster join included): worker-1 {} ms,"
            + " worker-2 {} ms, edge {} ms",
        worker1.process().readyMillis(),
        worker2.process().readyMillis(),
        edge.process().readyMillis());
  }

  @AfterAll
  static void stopCluster() {
    nodes.forEach(ServiceProcess::close);
    Await.result(mongo.close());
    Await.result(admin.close());
    kafka.close();
  }

  @Test
  void aTradePostedAtTheEdgeIsPersistedByAWorker() {
    String id = "CLU-" + UUID.randomUUID();
    HttpResponse<Buffer> created =
        post(edge, "/api/v1/trades", Trades.json(id, 1, "B1", TestClock.today().plusYears(1)));
    assertEquals(201, created.statusCode(), created::bodyAsString);
    assertEquals(
        1L,
        reader
            .sql("SELECT count(*) FROM trades WHERE trade_id = $1", id)
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  void everyNodeServesHealthAndMetrics() {
    for (Node node : List.of(worker1, worker2)) {
      assertEquals(200, get(node.managementPort(), "/health/ready").statusCode());
      assertTrue(
          get(node.managementPort(), "/metrics").bodyAsString().contains("vertx_"),
          "Prometheus metrics");
    }
    assertEquals(200, get(edge.httpPort(), "/health/ready").statusCode());
  }

  /**
   * On the push port itself, and relayed by the API port (through the rate limit kept in Redis and
   * the access check, which must leave the upgrade to the relay).
   */
  @ParameterizedTest
  @ValueSource(strings = {"push", "api"})
  void aTickConsumedOnAWorkerReachesAWebSocketClientOnTheEdge(String port) {
    String symbol = "CLU" + Math.abs(new Random().nextInt(100_000));
    Promise<JsonObject> quote = Promise.promise();
    WebSocket socket =
        Await.result(
            reader
                .vertx
                .createWebSocketClient(new WebSocketClientOptions())
                .connect(
                    TestInfra.socketWithToken(
                        reader.vertx,
                        port.equals("api") ? edge.httpPort() : edge.pushPort(),
                        QuoteProtocol.PATH + "?" + QuoteProtocol.DELTA_OPT_IN)));
    socket.textMessageHandler(
        text -> {
          JsonObject frame = new JsonObject(text);
          JsonObject quotes = frame.getJsonObject("quotes");
          if ("quotes".equals(frame.getString("type"))
              && quotes != null
              && quotes.containsKey(symbol)) {
            quote.tryComplete(quotes.getJsonObject(symbol));
          }
        });
    Await.result(
        socket.writeTextMessage(
            new JsonObject()
                .put("type", "subscribe")
                .put("symbols", new JsonArray().add(symbol))
                .encode()));
    // ticks until one arrives: the subscription may still be travelling to the hub when the first
    // is consumed
    long timer =
        reader.vertx.setPeriodic(
            200,
            id ->
                kafka.sendAsync(
                    io.vertx.kafka.client.producer.KafkaProducerRecord.create(
                        Topics.RAW_PRICES,
                        symbol,
                        new JsonObject()
                            .put("s", symbol)
                            .put("p", "123.45")
                            .put("q", 1)
                            .put("t", System.currentTimeMillis())
                            .put("x", "TEST")
                            .encode())));
    try {
      JsonObject received = Await.result(quote.future(), Duration.ofSeconds(30));
      assertEquals(
          0,
          new java.math.BigDecimal("123.45")
              .compareTo(new java.math.BigDecimal(received.getString("price"))));
    } finally {
      reader.vertx.cancelTimer(timer);
      Await.result(socket.close());
    }
  }

  /**
   * A stranger that joins the Hazelcast cluster (its name and port are no secret) with no
   * certificate of the cluster's CA, or with one of another CA, cannot deliver on the bus: its
   * ledger.seed-balance (which mints money) and trades.delete fail, PostgreSQL is unchanged, and
   * the edge keeps serving.
   */
  @ParameterizedTest
  @ValueSource(strings = {"no certificate", "another CA"})
  void aRogueNodeWithoutTheClustersCertificateCannotSendOnTheBus(String credentials) {
    String trade = "CLROGUE-" + UUID.randomUUID();
    assertEquals(
        201,
        post(edge, "/api/v1/trades", Trades.json(trade, 1, "B1", TestClock.today().plusYears(1)))
            .statusCode());
    JsonObject settings =
        TestInfra.config()
            .mergeIn(new JsonObject(new HashMap<>(cluster)))
            .put(ConfigKeys.EVENTBUS_PORT, 0);
    settings.mergeIn(
        credentials.equals("another CA")
            ? ClusterCertificates.create("rogue").settings()
            : new JsonObject()
                .put(ConfigKeys.DEV_MODE, true)
                .put(ConfigKeys.EVENTBUS_TLS_CERT_PATH, "")
                .put(ConfigKeys.EVENTBUS_TLS_KEY_PATH, "")
                .put(ConfigKeys.EVENTBUS_TLS_CA_PATH, ""));
    io.vertx.core.Vertx rogue =
        Await.result(
            app.Clustering.build(
                io.vertx.core.Vertx.builder(),
                new io.vertx.core.VertxOptions(),
                SettingsCheck.checked(settings)),
            Duration.ofSeconds(60));
    try {
      String account = "ROGUE-" + UUID.randomUUID().toString().substring(0, 8);
      io.vertx.core.eventbus.DeliveryOptions quickly =
          new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(5_000);
      assertTrue(
          failed(
              rogue
                  .eventBus()
                  .request(
                      contract.Addresses.LEDGER_SEED_BALANCE,
                      new JsonObject()
                          .put("tx_id", UUID.randomUUID().toString())
                          .put("receiver_account_id", account)
                          .put("amount", "1000000")
                          .put("currency", "SIM_COIN"),
                      quickly)),
          "the rogue's mint was delivered");
      assertTrue(
          failed(rogue.eventBus().request(contract.Addresses.TRADES_DELETE, trade, quickly)),
          "the rogue's delete was delivered");
    } finally {
      Await.result(rogue.close(), Duration.ofSeconds(60));
    }
    assertEquals(
        0L,
        reader
            .sql("SELECT count(*) FROM ledger_balances WHERE account_id LIKE 'ROGUE-%'")
            .iterator()
            .next()
            .getLong(0),
        "no money minted");
    assertEquals(
        1L,
        reader
            .sql("SELECT count(*) FROM trades WHERE trade_id = $1", trade)
            .iterator()
            .next()
            .getLong(0),
        "the trade is still there");
    assertEquals(
        201,
        post(
                edge,
                "/api/v1/trades",
                Trades.json(trade + "-after", 1, "B1", TestClock.today().plusYears(1)))
            .statusCode(),
        "the edge keeps serving");
  }

  private static boolean failed(Future<?> request) {
    return Await.result(
        request.<Boolean>transform(done -> Future.succeededFuture(done.failed())),
        Duration.ofSeconds(30));
  }

  @Test
  void theExpiryActsOncePerTickWithTimersOnTwoNodes() {
    String prefix = "CLX" + UUID.randomUUID().toString().substring(0, 8);
    int matured = 40;
    for (int i = 0; i < matured; i++) {
      reader.sql(
          "INSERT INTO trades (trade_id, version, counter_party_id, book_id, maturity_date,"
              + " created_date, expired) VALUES ($1, 1, 'CP', 'B1', $2, $3, false)",
          prefix + "-" + i,
          TestClock.today().minusDays(1),
          TestClock.today().minusDays(10));
    }
    Instant windowStart = Instant.now();
    Await.until(
        "the matured trades expired",
        Duration.ofSeconds(30),
        () ->
            reader
                    .sql(
                        "SELECT count(*) FROM trades WHERE trade_id LIKE $1 AND expired",
                        prefix + "%")
                    .iterator()
                    .next()
                    .getLong(0)
                == matured);
    // Both timers fire every interval; a run needs the cluster-wide claim, which one node wins per
    // interval
    // (0.8 of it, for timer drift). Audited runs 6 intervals on: never two within one tick.
    List<Instant> runs =
        Await.until(
            "six timer runs audited",
            Duration.ofSeconds(30),
            () -> timerRuns(windowStart),
            found -> found.size() >= 6);
    for (int i = 1; i < runs.size(); i++) {
      long gapMs = Duration.between(runs.get(i - 1), runs.get(i)).toMillis();
      assertTrue(
          gapMs >= EXPIRY_INTERVAL_MS * 6 / 10,
          () -> "two expiry runs " + gapMs + " ms apart: " + runs);
    }
  }

  @Test
  void outboxDispatchersOnTwoNodesPublishEachRowOnceInKeyOrder() {
    Random random = new Random(Seeds.seed());
    RecordStream records =
        RecordStream.generate("CLR" + random.nextInt(100_000), Scale.pick(2_000, 20_000), random);
    List<io.vertx.kafka.client.consumer.KafkaConsumerRecord<String, String>> notifications =
        kafka.read(RecordStream.notificationsTopic());
    records.produce(kafka, 0, records.size());
    RecordStream.Notifications notified =
        Await.until(
            "a notification for every record",
            CONVERGE,
            () -> Future.succeededFuture(records.notifications(notifications, records.size())),
            n -> n.missing() == 0);
    assertEquals(0, notified.doubled(), "a record notified under two event ids");
    assertEquals(0, notified.republished(), "a row published twice");
    assertEquals(0, notified.outOfOrder(), "notifications of one aggregate out of order");
  }

  /**
   * The last test of the class, by name: it kills a worker. Consumers on both workers share the
   * partitions, then the survivor takes them all, and the trades produced before, during and after
   * the kill all land.
   */
  @Test
  void zKillNineOfAWorkerMidStreamLosesNothing() {
    ConsumerGroupDescription shared =
        Await.until(
            "both workers in the trade consumer group",
            CONVERGE,
            () -> describeTradeGroup(),
            group -> hostsWithPartitions(group) == 2);
    assertEquals(
        3,
        shared.getMembers().stream()
            .mapToInt(m -> m.getAssignment().getTopicPartitions().size())
            .sum());

    long seed = Seeds.seed();
    Random random = new Random(seed);
    TradeStream trades =
        TradeStream.generate(
            "CLK" + seed % 100_000, Scale.pick(6_000, 60_000), random, TestClock.today());
    int half = trades.size() / 2;
    trades.produce(kafka, 0, half);
    worker2.process().kill();
    long killedAt = System.nanoTime();
    trades.produce(kafka, half, trades.size());
    long busFailover = awaitEdgeWritesServed(killedAt);
    Await.until(
        "the survivor owns every partition",
        CONVERGE,
        () -> describeTradeGroup(),
        group -> group.getMembers().size() == 1 && hostsWithPartitions(group) == 1);
    long partitionFailover = (System.nanoTime() - killedAt) / 1_000_000;
    TradeStream.Verdict verdict = trades.awaitConverged(reader, CONVERGE);
    LOG.info(
        "kill -9 of a worker: bus consumers served again after {} ms, partitions moved after {} ms;"
            + " {}",
        busFailover,
        partitionFailover,
        verdict);
    Figures.of("kill -9 of one of two clustered workers")
        .sent(trades.size())
        .stored(verdict.matching())
        .lost(verdict.lost())
        .recovery(Duration.ofMillis(Math.max(busFailover, partitionFailover)))
        .note(
            String.format(
                "bus consumers served again %,d ms after the kill, partitions moved after %,d ms; "
                    + "%,d revisions over %,d ids; seed %d",
                busFailover, partitionFailover, trades.size(), verdict.expected(), seed))
        .report();
    assertEquals(0, verdict.lost(), verdict::toString);
  }

  private static Future<List<Instant>> timerRuns(Instant since) {
    return mongo
        .find(
            Audit.TRADE_EVENTS,
            new JsonObject()
                .put("event_type", "TRADES_EXPIRED")
                .put("data.trigger", "timer")
                .put("timestamp", new JsonObject().put("$gte", Audit.date(since))))
        .map(
            found ->
                found.stream()
                    .map(run -> Instant.parse(run.getJsonObject("timestamp").getString("$date")))
                    .sorted()
                    .toList());
  }

  /**
   * Milliseconds from the kill until 20 edge writes in a row are answered 201 (none routed to the
   * dead node).
   */
  private long awaitEdgeWritesServed(long killedAt) {
    int inARow = 0;
    long servedSince = 0;
    while (inARow < 20) {
      long sent = System.nanoTime();
      if (status(
              edge,
              "/api/v1/trades",
              Trades.json("CLF-" + UUID.randomUUID(), 1, "B1", TestClock.today().plusYears(1)))
          == 201) {
        servedSince = inARow++ == 0 ? sent : servedSince;
      } else {
        inARow = 0;
      }
      assertTrue(
          System.nanoTime() - killedAt < CONVERGE.toNanos(),
          "edge writes still failing after the kill");
    }
    return (servedSince - killedAt) / 1_000_000;
  }

  private static Future<ConsumerGroupDescription> describeTradeGroup() {
    return admin
        .describeConsumerGroups(List.of(TradeConsumerVerticle.GROUP))
        .map(groups -> groups.get(TradeConsumerVerticle.GROUP));
  }

  /** Members (one per worker JVM: each runs one trade consumer) holding at least one partition. */
  private static long hostsWithPartitions(ConsumerGroupDescription group) {
    return group.getMembers().stream()
        .filter(member -> !member.getAssignment().getTopicPartitions().isEmpty())
        .count();
  }

  private static Node start(String name, String roles, Map<String, String> cluster) {
    Map<String, String> settings = new HashMap<>(cluster);
    settings.put(ConfigKeys.ROLES, roles);
    ServiceProcess process =
        ServiceProcess.start(name, settings, List.of("-Xmx384m", "-XX:+UseSerialGC"));
    nodes.add(process);
    return new Node(process);
  }

  private static HttpResponse<Buffer> post(Node node, String path, JsonObject body) {
    return Await.result(
        reader.http.post(node.httpPort(), "127.0.0.1", path).timeout(10_000).sendJsonObject(body));
  }

  /** The status of a POST, or 599 when no answer came (timed out, refused). */
  private static int status(Node node, String path, JsonObject body) {
    return Await.result(
        reader
            .http
            .post(node.httpPort(), "127.0.0.1", path)
            .timeout(10_000)
            .sendJsonObject(body)
            .map(HttpResponse::statusCode)
            .otherwise(599));
  }

  private static HttpResponse<Buffer> get(int port, String path) {
    return Await.result(reader.http.get(port, "127.0.0.1", path).send());
  }
}
