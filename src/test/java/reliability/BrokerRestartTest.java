package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.Await;
import support.KafkaTestClient;
import support.Seeds;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import verticles.TradeConsumerVerticle;

/**
 * Scenario 1: the Kafka broker restarts while the service consumes a stream of trade revisions with
 * duplicates and out-of-order versions. The trades table must equal the oracle, every refusal the
 * oracle expects must be dead-lettered, and the consumer group must catch up by itself.
 */
@Tag("fault")
class BrokerRestartTest {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartTest.class);
  private static final Duration CONVERGE = Duration.ofMinutes(Scale.pick(5, 20));

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject().put(ConfigKeys.ROLES, "audit,trades,trade-consumer,api"));

  private static KafkaTestClient kafka;

  @BeforeAll
  static void deploy() {
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic(Topics.TRADES, 3);
  }

  @AfterAll
  static void close() {
    TestInfra.get().startKafka(); // in case the test failed while it was down
    kafka.close();
  }

  @Test
  void nothingLostNothingDoubledAcrossABrokerRestart() {
    long seed = Seeds.seed();
    TradeStream stream =
        TradeStream.generate(
            "BRK" + seed % 100_000,
            Scale.pick(20_000, 200_000),
            new Random(seed),
            TestClock.today());
    List<KafkaConsumerRecord<String, String>> dlq = kafka.read(TradeStream.DLQ);
    int half = stream.size() / 2;
    stream.produce(kafka, 0, half);
    Await.until("the service is consuming", CONVERGE, () -> stream.verify(service).matching() > 0);

    TestInfra.get().stopKafka();
    Outages.holdUntilNoticed(service, "/health/ready");
    TestInfra.get().startKafka();
    long restarted = System.nanoTime();

    stream.produce(kafka, half, stream.size());
    TradeStream.Verdict verdict = stream.awaitConverged(service, CONVERGE);
    kafka.awaitCaughtUp(TradeConsumerVerticle.GROUP, List.of(Topics.TRADES), CONVERGE);
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
    TradeStream.DeadLetters dead =
        Await.until(
            "every expected refusal dead-lettered",
            CONVERGE,
            () -> Future.succeededFuture(stream.deadLetters(dlq)),
            d -> d.missingRefusals() == 0);

    LOG.info("Broker restart: seed {}, {} , {}", seed, verdict, dead);
    Figures.of("Kafka broker restart mid-stream")
        .sent(stream.size())
        .stored(verdict.matching())
        .duplicates(dead.duplicates())
        .lost(verdict.lost())
        .deadLettered(dead.records())
        .recovery(recovery)
        .note(
            verdict.expected()
                + " trade ids; "
                + dead.expectedRefusals()
                + " refusals expected, "
                + dead.redeliveredRefusals()
                + " redelivered and refused again; seed "
                + seed)
        .report();
    assertEquals(0, verdict.lost());
    assertEquals(Set.of("INVALID_VERSION"), dead.errorCodes());
    assertTrue(dead.records() >= dead.expectedRefusals());
  }
}
