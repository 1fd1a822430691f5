package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.KafkaTestClient;
import support.Lanes;
import support.Seeds;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * Scenario 4: Kafka is down for 30 s or more while records keep arriving over REST (clients retry
 * the 503s, as the API tells them to) and portfolio seeds keep writing outbox rows. Nothing is
 * lost: every record gets exactly one notification once deduplicated by {@code event_id}, and
 * per-key order holds.
 */
@Tag("fault")
class OutboxOutageTest {
  private static final Duration CONVERGE = Duration.ofMinutes(Scale.pick(4, 20));
  private static final int LANES = 16;

  @RegisterExtension
  static final ServiceUnderTest service =
      // the rate limit raised, the limiter still in the chain: 16 lanes from one client would
      // otherwise measure the limit at full size
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "records,portfolio,outbox,api")
              .put(ConfigKeys.RATE_LIMIT_PER_SECOND, 1_000_000)
              .put(ConfigKeys.RATE_LIMIT_BURST, 1_000_000)
              .put(ConfigKeys.RECORDS_PRODUCE_TIMEOUT_MS, 2_000)
              .put(ConfigKeys.OUTBOX_POLL_INTERVAL_MS, 200));

  private static KafkaTestClient kafka;

  @BeforeAll
  static void deploy() {
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic(Topics.RECORDS_IN, 3);
  }

  @AfterAll
  static void close() {
    TestInfra.get().startKafka(); // in case the test failed while it was down
    kafka.close();
  }

  @Test
  void outboxKeepsEverythingInOrderThroughALongBrokerOutage() {
    long seed = Seeds.seed();
    String prefix = "OBX" + seed % 100_000;
    RecordStream records =
        RecordStream.generate(prefix, Scale.pick(1_500, 20_000), new Random(seed));
    List<KafkaConsumerRecord<String, String>> notifications =
        kafka.read(RecordStream.notificationsTopic());
    List<KafkaConsumerRecord<String, String>> portfolioEvents = kafka.read(Topics.PORTFOLIO_EVENTS);
    AtomicInteger refusedWhileDown = new AtomicInteger();
    Future<Void> flow = postAll(records, refusedWhileDown);
    Await.until(
        "records flowing", CONVERGE, () -> records.storedRecords(service) > records.size() / 4);

    TestInfra.get().stopKafka();
    long stopped = System.nanoTime();
    Await.until(
        "the service reports the broker down",
        Outages.NOTICE,
        () -> service.get("/health/ready").statusCode() == 503);
    int seeds = seedPortfolios(prefix, Scale.pick(60, 600));
    long pendingWhileDown = pendingOutboxRows();
    Outages.holdDown(
        service,
        "/health/ready",
        Duration.ofSeconds(Scale.pick(30, 45))
            .minus(Duration.ofNanos(System.nanoTime() - stopped)));
    TestInfra.get().startKafka();
    long restarted = System.nanoTime();

    Await.result(flow, CONVERGE);
    RecordStream.Notifications notified =
        Await.until(
            "a notification for every record",
            CONVERGE,
            () -> Future.succeededFuture(records.notifications(notifications, records.size())),
            n -> n.missing() == 0);
    Await.until("the outbox drained", CONVERGE, () -> pendingOutboxRows() == 0);
    int seedsOutOfOrder =
        Await.until(
            "every portfolio event published",
            CONVERGE,
            () -> Future.succeededFuture(portfolioEventsInOrder(portfolioEvents, prefix)),
            inOrder -> inOrder[0] == seeds)[1];
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
    int stored = records.storedRecords(service);

    Figures.of("Kafka down " + Scale.pick(30, 45) + " s for the outbox")
        .sent(records.size() + seeds)
        .stored(stored + seeds)
        .duplicates(notified.republished())
        .lost(records.distinct() - notified.distinctEffects())
        .recovery(recovery)
        .note(
            String.format(
                "records %,d (%,d distinct), %,d POSTs answered 503 during the outage and retried;"
                    + " %,d outbox rows pending while down; %d portfolio seeds written while down;"
                    + " seed %d",
                records.size(),
                records.distinct(),
                refusedWhileDown.get(),
                pendingWhileDown,
                seeds,
                seed))
        .report();
    assertEquals(records.distinct(), stored);
    assertEquals(0, records.wrongAggregates(service, records.size()));
    assertEquals(0, notified.doubled(), "a record notified under two event ids");
    assertEquals(0, notified.outOfOrder(), "notifications of one aggregate out of order");
    assertEquals(0, seedsOutOfOrder, "portfolio events of one portfolio out of order");
    assertTrue(
        pendingWhileDown >= seeds,
        "outbox rows accumulate while Kafka is down: " + pendingWhileDown);
  }

  /**
   * Every record POSTed until accepted: a 503 (Kafka could not acknowledge) is retried after a
   * pause.
   */
  private static Future<Void> postAll(RecordStream records, AtomicInteger refused) {
    return Lanes.run(
        records.slice(0, records.size()),
        LANES,
        record -> postUntilAccepted(record.json(), refused));
  }

  private static Future<Void> postUntilAccepted(JsonObject body, AtomicInteger refused) {
    return service
        .http
        .post("/records")
        .sendJsonObject(body)
        .transform(
            done -> {
              if (done.succeeded() && done.result().statusCode() == 202) {
                return Future.succeededFuture();
              }
              if (done.succeeded() && done.result().statusCode() != 503) {
                return Future.failedFuture(
                    new AssertionError(
                        "POST /records answered "
                            + done.result().statusCode()
                            + ": "
                            + done.result().bodyAsString()));
              }
              refused.incrementAndGet();
              Promise<Void> retried = Promise.promise();
              service.vertx.setTimer(
                  250, id -> postUntilAccepted(body, refused).onComplete(retried));
              return retried.future();
            });
  }

  /** Seeds while Kafka is down: each is stored with its outbox row, which waits for the broker. */
  private static int seedPortfolios(String prefix, int count) {
    for (int i = 0; i < count; i++) {
      JsonObject portfolio =
          new JsonObject().put("portfolio_id", prefix + "-p" + (i % 5)).put("seq", i);
      assertEquals(200, service.postJson("/api/v1/seed", portfolio).statusCode());
    }
    return count;
  }

  /**
   * {distinct events seen, events out of order}: each portfolio's seeds must arrive in the order
   * written.
   */
  private static int[] portfolioEventsInOrder(
      List<KafkaConsumerRecord<String, String>> topic, String prefix) {
    Set<String> seen = new HashSet<>();
    Map<String, Integer> lastSeq = new HashMap<>();
    int outOfOrder = 0;
    for (KafkaConsumerRecord<String, String> message : List.copyOf(topic)) {
      String eventId = KafkaTestClient.header(message, "event_id");
      if (message.key() == null || !message.key().startsWith(prefix) || !seen.add(eventId)) {
        continue;
      }
      int seq = new JsonObject(message.value()).getJsonObject("payload").getInteger("seq");
      Integer previous = lastSeq.put(message.key(), seq);
      if (previous != null && seq < previous) {
        outOfOrder++;
      }
    }
    return new int[] {seen.size(), outOfOrder};
  }

  private static long pendingOutboxRows() {
    return service
        .sql("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        .iterator()
        .next()
        .getLong(0);
  }
}
