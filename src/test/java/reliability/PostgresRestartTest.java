package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.KafkaTestClient;
import support.Seeds;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;
import verticles.TradeConsumerVerticle;

/**
 * Scenario 2: PostgreSQL restarts while the service consumes trades. During the outage the consumer
 * is restarted too, so it resumes from the committed offsets: had an offset been committed for a
 * record that was never stored, that record would be skipped and the trades would differ from the
 * oracle. The service's pools must recover by themselves, and the API answers 503 (retry), never
 * 500, meanwhile.
 */
@Tag("fault")
class PostgresRestartTest {
  private static final Duration CONVERGE = Duration.ofMinutes(Scale.pick(5, 20));

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "audit,trades,api"));

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
    TestInfra.get().startPostgres(); // in case the test failed while it was down
    kafka.close();
  }

  private static String deployConsumer() {
    return Await.result(
        service.vertx.deployVerticle(
            new TradeConsumerVerticle(TestClock.CLOCK),
            new DeploymentOptions().setConfig(service.config)));
  }

  @Test
  void noOffsetCommittedForAnUnstoredRecordAndPoolsRecover() {
    long seed = Seeds.seed();
    TradeStream stream =
        TradeStream.generate(
            "PGR" + seed % 100_000,
            Scale.pick(20_000, 200_000),
            new Random(seed),
            TestClock.today());
    String consumer = deployConsumer();
    int half = stream.size() / 2;
    stream.produce(kafka, 0, half);
    Await.until("the service is consuming", CONVERGE, () -> stream.verify(service).matching() > 0);

    TestInfra.get().stopPostgres();
    Outages.holdUntilNoticed(service, "/health/ready");
    int refused =
        service
            .postJson(
                "/api/v1/trades", Trades.json("PGR-DOWN", 1, "B1", TestClock.today().plusDays(1)))
            .statusCode();
    Await.result(service.vertx.undeploy(consumer));
    deployConsumer(); // resumes from the committed offsets, while the database is still down
    TestInfra.get().startPostgres();
    long restarted = System.nanoTime();

    stream.produce(kafka, half, stream.size());
    TradeStream.Verdict verdict = stream.awaitConverged(service, CONVERGE);
    kafka.awaitCaughtUp(TradeConsumerVerticle.GROUP, List.of(Topics.TRADES), CONVERGE);
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
    int afterwards =
        service
            .postJson(
                "/api/v1/trades", Trades.json("PGR-UP", 1, "B1", TestClock.today().plusDays(1)))
            .statusCode();

    Figures.of("PostgreSQL restart mid-stream")
        .sent(stream.size())
        .stored(verdict.matching())
        .lost(verdict.lost())
        .recovery(recovery)
        .note(
            verdict.expected()
                + " trade ids; the consumer restarted during the outage; a POST during it answered "
                + refused
                + ", after it "
                + afterwards
                + "; seed "
                + seed)
        .report();
    assertEquals(0, verdict.lost());
    assertEquals(503, refused, "a database outage is a 503: retry later");
    assertEquals(201, afterwards, "the pools reconnect by themselves");
  }
}
