package trades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;
import verticles.TradeConsumerVerticle;

/** The trades topic through the real broker into real PostgreSQL, with DLQ and audit. */
@Tag("integration")
class TradeConsumerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final LocalDate TODAY = TestClock.today();

  // The consumer is deployed by each test, so it can be stopped and restarted.
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "audit,trades,api"));

  private static KafkaTestClient kafka;
  private static List<KafkaConsumerRecord<String, String>> deadLetters;

  @BeforeAll
  static void deploy() {
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic(Topics.TRADES, 3);
    deadLetters = kafka.read(Topics.TRADES + ".dlq");
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  private static String deployConsumer() {
    return Await.result(
        service.vertx.deployVerticle(
            new TradeConsumerVerticle(TestClock.CLOCK),
            new DeploymentOptions().setConfig(service.config)));
  }

  private static String trade(String id, int version, LocalDate maturity) {
    return Trades.json(id, version, "B1", maturity).encode();
  }

  private static Row stored(String id) {
    var rows = service.sql("SELECT * FROM trades WHERE trade_id = $1", id);
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private static void awaitVersion(String id, int version) {
    Await.until(
        id + " stored at version " + version,
        WAIT,
        () -> {
          Row row = stored(id);
          return row != null && row.getInteger("version") == version;
        });
  }

  private static List<KafkaConsumerRecord<String, String>> deadLettersFor(String prefix) {
    return deadLetters.stream().filter(r -> r.key() != null && r.key().startsWith(prefix)).toList();
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    return record.headers().stream()
        .filter(h -> h.key().equals(name))
        .map(h -> h.value().toString(StandardCharsets.UTF_8))
        .findFirst()
        .orElse(null);
  }

  @Test
  void mixedRecordsLeaveExactlyTheExpectedRowsDeadLettersAndAudit() {
    String p = "MIX-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    String consumer = deployConsumer();
    try {
      kafka.send("trades", p + "A", trade(p + "A", 1, TODAY.plusDays(10)));
      kafka.send("trades", p + "A", trade(p + "A", 2, TODAY.plusDays(20)));
      kafka.send(
          "trades", p + "A", trade(p + "A", 2, TODAY.plusDays(20))); // duplicate: replaces, no DLQ
      kafka.send("trades", p + "A", trade(p + "A", 1, TODAY.plusDays(30))); // lower version
      kafka.send("trades", p + "B", trade(p + "B", 1, TODAY.minusDays(1))); // past maturity
      kafka.send("trades", p + "C", "{not json"); // malformed
      kafka.send(
          "trades",
          p + "D",
          new JsonObject().put("trade_id", p + "D").put("version", 1).encode()); // missing
      kafka.send("trades", p + "E", trade(p + "E", 1, TODAY)); // matures today: accepted

      awaitVersion(p + "E", 1);
      Await.until("4 dead letters", WAIT, () -> deadLettersFor(p).size() == 4);
      awaitVersion(p + "A", 2);
      assertEquals(TODAY.plusDays(20), stored(p + "A").getLocalDate("maturity_date"));
      assertEquals(null, stored(p + "B"));
      assertEquals(
          2L,
          service
              .sql("SELECT count(*) FROM trades WHERE trade_id LIKE $1", p + "%")
              .iterator()
              .next()
              .getLong(0));

      Map<String, String> errorByKey =
          deadLettersFor(p).stream()
              .collect(Collectors.toMap(KafkaConsumerRecord::key, r -> header(r, "dlq_error")));
      assertEquals(
          Map.of(
              p + "A",
              "INVALID_VERSION",
              p + "B",
              "INVALID_MATURITY_DATE",
              p + "C",
              "MALFORMED_JSON",
              p + "D",
              "MISSING_FIELD"),
          errorByKey);
      KafkaConsumerRecord<String, String> malformed = deadLettersFor(p + "C").get(0);
      assertEquals("{not json", malformed.value());
      assertEquals("trades", header(malformed, "dlq_source_topic"));
      assertTrue(header(malformed, "dlq_reason").contains("JSON"));
      assertTrue(Long.parseLong(header(malformed, "dlq_source_offset")) >= 0);

      JsonObject failures =
          Await.until(
              "4 VALIDATION_FAILED audit entries",
              WAIT,
              () -> service.pollAuditLogs(Map.of("action", "VALIDATION_FAILED")),
              body ->
                  body.getJsonArray("items").stream()
                          .filter(o -> ((JsonObject) o).getString("trade_id", "").startsWith(p))
                          .count()
                      == 4);
      failures.getJsonArray("items").stream()
          .map(JsonObject.class::cast)
          .filter(o -> o.getString("trade_id", "").startsWith(p))
          .forEach(
              entry -> {
                assertEquals("kafka", entry.getString("source"));
                assertEquals("failed", entry.getString("status"));
              });
      // The audit writer buffers, so the entry may land after the row does.
      JsonObject created =
          Await.until(
                  "CREATE audit entry for " + p + "E",
                  WAIT,
                  () ->
                      service
                          .pollAuditLogs(Map.of("trade_id", p + "E"))
                          .map(body -> body.getJsonArray("items")),
                  items -> !items.isEmpty())
              .getJsonObject(0);
      assertEquals("CREATE", created.getString("action"));
      assertEquals("kafka", created.getString("source"));
    } finally {
      Await.result(service.vertx.undeploy(consumer));
    }
  }

  @Test
  void correlationIdComesFromTheKafkaHeader() {
    String id = "CORR-" + UUID.randomUUID().toString().substring(0, 8);
    String consumer = deployConsumer();
    try {
      kafka.send(
          KafkaProducerRecord.create("trades", id, trade(id, 1, TODAY.plusDays(1)))
              .addHeader("correlation_id", "corr-" + id));
      awaitVersion(id, 1);
      JsonObject entry =
          Await.until(
                  "audit entry of " + id,
                  WAIT,
                  () -> service.pollAuditLogs(Map.of("trade_id", id)),
                  body -> body.getInteger("count") == 1)
              .getJsonArray("items")
              .getJsonObject(0);
      assertEquals("corr-" + id, entry.getString("correlation_id"));
    } finally {
      Await.result(service.vertx.undeploy(consumer));
    }
  }

  /**
   * A database failure in the middle of a partition: the committed offset stops at the failed
   * record, which is retried (it is not poison), redelivered after a restart, and then stored with
   * the records after it. The failed record holds its partition's later records meanwhile: a run of
   * records is the unit.
   */
  @Test
  void committedOffsetNeverPassesAnUnfinishedRecord() {
    String p = "OFS-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    // nextval is not rolled back with the failing write: it counts the attempts.
    service.sql("CREATE SEQUENCE IF NOT EXISTS blocked_attempts");
    long attemptsBefore = attempts();
    service.sql(
        """
        CREATE OR REPLACE FUNCTION refuse_blocked() RETURNS trigger AS $$
        BEGIN
          IF NEW.trade_id LIKE '%BLOCKED' THEN
            PERFORM nextval('blocked_attempts');
            RAISE EXCEPTION 'simulated write failure';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql\
        """);
    service.sql(
        "CREATE TRIGGER refuse_blocked BEFORE INSERT OR UPDATE ON trades FOR EACH ROW EXECUTE"
            + " FUNCTION refuse_blocked()");
    String consumer = deployConsumer();
    int partition = 1;
    try {
      long first =
          kafka
              .send(
                  KafkaProducerRecord.create(
                      "trades", p + "A", trade(p + "A", 1, TODAY.plusDays(1)), null, partition))
              .getOffset();
      awaitVersion(p + "A", 1);
      Await.until(
          "commit past the first record",
          WAIT,
          () -> kafka.committed(TradeConsumerVerticle.GROUP, "trades", partition) == first + 1);
      long blocked =
          kafka
              .send(
                  KafkaProducerRecord.create(
                      "trades",
                      p + "BLOCKED",
                      trade(p + "BLOCKED", 1, TODAY.plusDays(1)),
                      null,
                      partition))
              .getOffset();
      kafka.send(
          KafkaProducerRecord.create(
              "trades", p + "C", trade(p + "C", 1, TODAY.plusDays(1)), null, partition));
      Await.until("the blocked record retried", WAIT, () -> attempts() >= attemptsBefore + 2);

      Await.result(service.vertx.undeploy(consumer)); // stop commits what is complete, and no more
      assertEquals(blocked, kafka.committed(TradeConsumerVerticle.GROUP, "trades", partition));
      assertEquals(0, deadLettersFor(p).size(), "an outage is not poison");

      service.sql("DROP TRIGGER refuse_blocked ON trades");
      consumer = deployConsumer();
      awaitVersion(p + "BLOCKED", 1);
      awaitVersion(p + "C", 1);
      Await.until(
          "commit past the redelivered records",
          WAIT,
          () -> kafka.committed(TradeConsumerVerticle.GROUP, "trades", partition) > blocked + 1);
    } finally {
      service.sql("DROP TRIGGER IF EXISTS refuse_blocked ON trades");
      Await.result(service.vertx.undeploy(consumer));
    }
  }

  private static long attempts() {
    return service
        .sql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM blocked_attempts")
        .iterator()
        .next()
        .getLong(0);
  }

  /** Data the database refuses for good is dead-lettered, and the partition moves past it. */
  @Test
  void aRecordTheDatabaseRefusesIsDeadLetteredNotRetriedForever() {
    String p = "REF-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    service.sql(
        """
        CREATE OR REPLACE FUNCTION refuse_data() RETURNS trigger AS $$
        BEGIN
          IF NEW.trade_id LIKE '%REFUSED' THEN RAISE EXCEPTION 'value out of range' USING ERRCODE = '22003'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql\
        """);
    service.sql(
        "CREATE TRIGGER refuse_data BEFORE INSERT ON trades FOR EACH ROW EXECUTE FUNCTION"
            + " refuse_data()");
    String consumer = deployConsumer();
    int partition = 2;
    try {
      long refused =
          kafka
              .send(
                  KafkaProducerRecord.create(
                      "trades",
                      p + "REFUSED",
                      trade(p + "REFUSED", 1, TODAY.plusDays(1)),
                      null,
                      partition))
              .getOffset();
      kafka.send(
          KafkaProducerRecord.create(
              "trades", p + "NEXT", trade(p + "NEXT", 1, TODAY.plusDays(1)), null, partition));
      awaitVersion(p + "NEXT", 1);
      Await.until(
          "the refused record dead-lettered",
          WAIT,
          () -> deadLettersFor(p + "REFUSED").size() == 1);
      assertEquals("INVALID_FIELD", header(deadLettersFor(p + "REFUSED").get(0), "dlq_error"));
      Await.until(
          "commit past the refused record",
          WAIT,
          () -> kafka.committed(TradeConsumerVerticle.GROUP, "trades", partition) > refused + 1);
    } finally {
      service.sql("DROP TRIGGER IF EXISTS refuse_data ON trades");
      Await.result(service.vertx.undeploy(consumer));
    }
  }

  /** The Vert.x header view throws on a null header value; such a record is still processed. */
  @Test
  void aHeaderWithoutValueDoesNotStallThePartition() {
    String id = "NULLHDR-" + UUID.randomUUID().toString().substring(0, 8);
    String consumer = deployConsumer();
    try {
      org.apache.kafka.clients.producer.ProducerRecord<String, String> record =
          new org.apache.kafka.clients.producer.ProducerRecord<>(
              "trades", id, trade(id, 1, TODAY.plusDays(1)));
      record.headers().add("trace", null);
      try (var producer =
          new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
              Map.of(
                  "bootstrap.servers", service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS),
                  "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                  "value.serializer", "org.apache.kafka.common.serialization.StringSerializer"))) {
        producer.send(record).get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      awaitVersion(id, 1);
    } finally {
      Await.result(service.vertx.undeploy(consumer));
    }
  }
}
