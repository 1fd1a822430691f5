package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import mongo.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.Await;
import support.KafkaTestClient;
import support.ServiceProcess;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;
import verticles.TradeConsumerVerticle;

/**
 * SIGTERM to a clustered JVM running every role, while REST requests are in flight and trades
 * stream in from Kafka. The shutdown runs in its documented order (readiness, the HTTP edge
 * draining, the consumers pausing, finishing and committing, the writers and the price buffer, the
 * outbox, the audit flush, leaving the cluster), ends within its deadline, and leaves nothing
 * behind: every answered write is stored, every trade stored from Kafka is committed and every
 * committed record is stored, and every stored trade is audited. The JVM runs as a cluster ships:
 * auth on, and the rate limit's buckets in Redis (clustered, so by default).
 */
@Tag("fault")
class GracefulShutdownTest {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdownTest.class);
  private static final long DEADLINE_MS = 20_000;
  private static final int REST_REQUESTS = 300;

  @RegisterExtension
  static final ServiceUnderTest reader =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));

  private static KafkaTestClient kafka;
  private static MongoClient mongo;

  @BeforeAll
  static void connect() {
    kafka =
        new KafkaTestClient(
            reader.vertx, reader.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic(Topics.TRADES, 3);
    mongo = MongoClients.create(reader.vertx, reader.config);
  }

  @AfterAll
  static void close() {
    Await.result(mongo.close());
    kafka.close();
  }

  @Test
  void sigtermDrainsCommitsFlushesAndLeavesInOrder() {
    String run = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000);
    ServiceProcess service =
        ServiceProcess.start(
            "graceful-shutdown",
            Map.of(
                ConfigKeys.CLUSTER_ENABLED,
                "true",
                ConfigKeys.CLUSTER_NAME,
                "shutdown-test-" + run,
                ConfigKeys.CLUSTER_PORT,
                Integer.toString(ServiceProcess.freeClusterPort()),
                ConfigKeys.SHUTDOWN_DEADLINE_MS,
                Long.toString(DEADLINE_MS)));

    String kafkaPrefix = "GSK" + run + "-";
    Map<String, RecordMetadata> produced = new ConcurrentHashMap<>();
    long producer = reader.vertx.setPeriodic(20, id -> produceBurst(kafkaPrefix, produced, 200));
    Await.until(
        "trades from Kafka stored, mid-stream",
        Duration.ofSeconds(60),
        () -> countStored(kafkaPrefix) >= 500);

    String restPrefix = "GSR" + run + "-";
    List<Future<HttpResponse<Buffer>>> answers = postTrades(service.httpPort(), restPrefix);
    long sigterm = System.currentTimeMillis();
    service.terminate();
    int exitStatus = service.awaitExit(Duration.ofMillis(DEADLINE_MS + 30_000));
    long stoppedInMs = System.currentTimeMillis() - sigterm;
    reader.vertx.cancelTimer(producer);
    LOG.info(
        "Stopped {} ms after SIGTERM, exit status {}, {} trades produced meanwhile",
        stoppedInMs,
        exitStatus,
        produced.size());

    assertTrue(stoppedInMs < DEADLINE_MS + 10_000, "stopped " + stoppedInMs + " ms after SIGTERM");
    assertStepsInOrder(service.logText());
    assertAnsweredWritesStored(answers, restPrefix);
    assertStoredEqualsCommitted(kafkaPrefix, Map.copyOf(produced));
    assertEveryStoredTradeAudited(run);
  }

  private static void produceBurst(String prefix, Map<String, RecordMetadata> produced, int count) {
    for (int i = 0; i < count; i++) {
      String id = prefix + UUID.randomUUID();
      JsonObject trade = Trades.json(id, 1, "B1", TestClock.today().plusYears(1));
      kafka
          .sendAsync(KafkaProducerRecord.create(Topics.TRADES, id, trade.encode()))
          .onSuccess(metadata -> produced.put(id, metadata));
    }
  }

  /** Many writes at once: the client's pool keeps some on the wire when SIGTERM arrives. */
  private static List<Future<HttpResponse<Buffer>>> postTrades(int port, String prefix) {
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (int i = 0; i < REST_REQUESTS; i++) {
      JsonObject trade = Trades.json(prefix + i, 1, "B1", TestClock.today().plusYears(1));
      answers.add(
          reader
              .http
              .post(port, "127.0.0.1", "/api/v1/trades")
              .timeout(30_000)
              .sendJsonObject(trade));
    }
    // SIGTERM once the first answers came: the rest are on the wire or queued in the client
    Await.until(
        "first REST answers",
        Duration.ofSeconds(30),
        () -> answers.stream().anyMatch(Future::isComplete));
    return answers;
  }

  private static void assertStepsInOrder(String log) {
    List<String> steps =
        List.of(
            "Shutdown: readiness fails",
            "Shutdown: role api stopped",
            "Consumer paused",
            "Shutdown: role trade-consumer stopped",
            "Price buffer flushed on stop",
            "Shutdown: role trades stopped",
            "Shutdown: role outbox stopped",
            "Audit buffer flushed on stop",
            "Shutdown: role audit stopped",
            "Shutdown: Vert.x closed, left the cluster");
    int previous = -1;
    for (String step : steps) {
      int at = log.indexOf(step, previous + 1);
      assertTrue(
          at > previous,
          "'" + step + "' logged after the step before it; shutdown log:\n" + shutdownPart(log));
      previous = at;
    }
  }

  private static String shutdownPart(String log) {
    int start = log.indexOf("Shutdown:");
    return start < 0 ? log.substring(Math.max(0, log.length() - 4000)) : log.substring(start);
  }

  /**
   * In flight at SIGTERM: answered (no 5xx) and stored, or never accepted (the connection closed
   * first).
   */
  private static void assertAnsweredWritesStored(
      List<Future<HttpResponse<Buffer>>> answers, String prefix) {
    Await.result(Future.join(answers).otherwiseEmpty());
    Set<String> created = new HashSet<>();
    int refused = 0;
    for (int i = 0; i < answers.size(); i++) {
      Future<HttpResponse<Buffer>> answer = answers.get(i);
      if (answer.failed()) {
        refused++;
        continue;
      }
      assertEquals(201, answer.result().statusCode(), answer.result().bodyAsString());
      created.add(prefix + i);
    }
    LOG.info("REST during shutdown: {} created, {} never accepted", created.size(), refused);
    assertTrue(!created.isEmpty(), "some writes were answered");
    assertEquals(created, storedIds(prefix), "every answered write is stored, and nothing else");
  }

  /**
   * Per partition, a trade from Kafka is stored exactly when its offset is below the committed one:
   * the consumers finished what they took and committed it, and took nothing they did not finish.
   */
  private static void assertStoredEqualsCommitted(
      String prefix, Map<String, RecordMetadata> produced) {
    Set<String> stored = storedIds(prefix);
    Map<Integer, Long> committed = new HashMap<>();
    int belowCommitted = 0;
    for (Map.Entry<String, RecordMetadata> record : produced.entrySet()) {
      int partition = record.getValue().getPartition();
      long offset =
          committed.computeIfAbsent(
              partition, p -> kafka.committed(TradeConsumerVerticle.GROUP, Topics.TRADES, p));
      boolean isCommitted = record.getValue().getOffset() < offset;
      belowCommitted += isCommitted ? 1 : 0;
      assertEquals(
          isCommitted,
          stored.contains(record.getKey()),
          record.getKey()
              + " at "
              + partition
              + "@"
              + record.getValue().getOffset()
              + ", committed up to "
              + offset);
    }
    LOG.info(
        "Kafka during shutdown: {} produced, {} stored and committed",
        produced.size(),
        belowCommitted);
    assertTrue(belowCommitted < produced.size(), "the consumer stopped mid-stream");
  }

  private static void assertEveryStoredTradeAudited(String run) {
    long stored = countStored("GS_" + run + "-");
    JsonObject mine =
        new JsonObject()
            .put("action", "CREATE")
            .put("trade_id", new JsonObject().put("$regex", "^GS[KR]" + run + "-"));
    long audited = Await.result(mongo.count("audit_logs", mine));
    assertEquals(stored, audited, "every stored trade has its CREATE audit entry");
  }

  /** Trades whose id starts with the prefix; {@code _} matches the K or R of either source. */
  private static long countStored(String prefix) {
    return reader
        .sql("SELECT count(*) FROM trades WHERE trade_id LIKE $1", prefix + "%")
        .iterator()
        .next()
        .getLong(0);
  }

  private static Set<String> storedIds(String prefix) {
    Set<String> ids = new HashSet<>();
    reader
        .sql("SELECT trade_id FROM trades WHERE trade_id LIKE $1", prefix + "%")
        .forEach(row -> ids.add(row.getString(0)));
    return ids;
  }
}
