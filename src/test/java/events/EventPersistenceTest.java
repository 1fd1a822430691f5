package events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import domain.RawEventType;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import verticles.IngestConsumerVerticle;

/**
 * Seed 000 through the real broker and PostgreSQL: exactly one effect per event, completion via the
 * outbox.
 */
@Tag("integration")
class EventPersistenceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> TABLES =
      List.of("transactions", "instruments", "market_prices", "fx_rates");

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "events,outbox"));

  private static KafkaTestClient kafka;

  @BeforeAll
  static void deploy() {
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    RawEventType.topics().forEach(topic -> kafka.createTopic(topic, 3));
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  private static long count(String sql, Object... args) {
    return service.sql(sql, args).iterator().next().getLong(0);
  }

  private static void send(String topic, String key, JsonObject value, String correlationId) {
    kafka.send(
        KafkaProducerRecord.create(topic, key, value.encode())
            .addHeader("correlation_id", correlationId));
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    return record.headers().stream()
        .filter(h -> h.key().equals(name))
        .map(h -> h.value().toString(StandardCharsets.UTF_8))
        .findFirst()
        .orElse(null);
  }

  @Test
  void eachEventHasExactlyOneEffectEvenWhenReplayedFromOffsetZero() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<KafkaConsumerRecord<String, String>> completed = kafka.read("raw_transactions_completed");
    List<KafkaConsumerRecord<String, String>> fxDeadLetters = kafka.read("fx_rates.dlq");
    for (int i = 0; i < 5; i++) {
      send(
          "raw_transactions",
          "TX-" + run + i,
          new JsonObject()
              .put("event_id", "tx-" + run + "-" + i)
              .put("transaction_id", "TX-" + run + i)
              .put("portfolio_id", "P1")
              .put("instrument_id", "AAPL")
              .put("security_id", "SEC-AAPL")
              .put("transaction_type", "BUY")
              .put("transaction_date", "2025-08-01T10:00:00Z")
              .put("settlement_date", "2025-08-03")
              .put("quantity", "10")
              .put("price", "150.1234567891")
              .put("gross_amount", "1501.234567891")
              .put("trade_currency", "USD")
              .put("currency", "USD"),
          "corr-" + run + "-" + i);
    }
    // The same event delivered twice (a producer retry): one effect.
    JsonObject instrument =
        new JsonObject()
            .put("event_id", "ins-" + run)
            .put("security_id", "SEC-" + run)
            .put("name", "Apple Inc.")
            .put("isin", "US0378331005")
            .put("instrument_currency", "USD")
            .put("product_type", "Equity");
    send("instruments", "SEC-" + run, instrument, "corr-ins-" + run);
    send("instruments", "SEC-" + run, instrument, "corr-ins-" + run);
    send(
        "market_prices",
        "SEC-" + run,
        new JsonObject()
            .put("security_id", "SEC-" + run)
            .put("price_date", "2025-08-01")
            .put("price", 189.5)
            .put("currency", "USD"),
        "corr-mp-" + run);
    send(
        "fx_rates",
        "EURUSD",
        new JsonObject()
            .put("from_currency", "EUR")
            .put("to_currency", "USD")
            .put("rate_date", "2025-08-01")
            .put("rate", "1.0876"),
        "corr-fx-" + run);
    send(
        "fx_rates",
        "bad-" + run,
        new JsonObject()
            .put("from_currency", "euro")
            .put("to_currency", "USD")
            .put("rate_date", "2025-08-01")
            .put("rate", "1.0876"),
        "corr-bad-" + run);

    Await.until(
        "all effects",
        WAIT,
        () ->
            count(
                        "SELECT count(*) FROM transactions WHERE transaction_id LIKE $1",
                        "TX-" + run + "%")
                    == 5
                && count("SELECT count(*) FROM instruments WHERE security_id = $1", "SEC-" + run)
                    == 1
                && count("SELECT count(*) FROM market_prices WHERE security_id = $1", "SEC-" + run)
                    == 1
                && count(
                        "SELECT count(*) FROM processed_events WHERE correlation_id = $1",
                        "corr-fx-" + run)
                    == 1);
    Await.until(
        "the poison FX rate is dead-lettered",
        WAIT,
        () -> fxDeadLetters.stream().anyMatch(r -> ("bad-" + run).equals(r.key())));
    assertEquals(
        "from_currency",
        header(
            fxDeadLetters.stream()
                .filter(r -> ("bad-" + run).equals(r.key()))
                .findFirst()
                .orElseThrow(),
            "dlq_field"));
    assertEquals(
        new BigDecimal("150.1234567891"),
        service
            .sql("SELECT price FROM transactions WHERE transaction_id = $1", "TX-" + run + "0")
            .iterator()
            .next()
            .getBigDecimal(0),
        "numeric keeps every digit");
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM processed_events WHERE event_id = $1", "instruments:ins-" + run));
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM outbox WHERE payload->>'event_id' = $1",
            "instruments:ins-" + run),
        "a duplicate event writes no second completion event");

    // Completion events go out through the outbox, carrying the correlation id end to end.
    Await.until(
        "5 completion events",
        WAIT,
        () -> completed.stream().filter(r -> r.key().startsWith("TX-" + run)).count() == 5);
    KafkaConsumerRecord<String, String> first =
        completed.stream().filter(r -> r.key().equals("TX-" + run + "0")).findFirst().orElseThrow();
    assertEquals("corr-" + run + "-0", header(first, "correlation_id"));
    assertTrue(header(first, "event_id") != null);
    JsonObject event = new JsonObject(first.value());
    assertEquals("raw_transactions_completed", event.getString("event_type"));
    assertEquals("raw_transactions:tx-" + run + "-0", event.getString("event_id"));
    assertEquals(
        "corr-" + run + "-0",
        service
            .sql(
                "SELECT correlation_id FROM processed_events WHERE event_id = $1",
                "raw_transactions:tx-" + run + "-0")
            .iterator()
            .next()
            .getString(0));

    Map<String, Long> before = rowCounts();
    replayEverythingFromOffsetZero();
    assertEquals(before, rowCounts(), "a replay from offset 0 changes no row count");
  }

  /**
   * A second consumer group reads all four topics from offset 0 through the same persistence path.
   */
  private static void replayEverythingFromOffsetZero() {
    String group = "replay-" + UUID.randomUUID();
    String replay =
        Await.result(
            service.vertx.deployVerticle(
                new IngestConsumerVerticle(IngestConsumerVerticle.RAW_EVENTS),
                new DeploymentOptions()
                    .setConfig(service.config.copy().put(ConfigKeys.EVENTS_GROUP_ID, group))));
    kafka.awaitCaughtUp(group, RawEventType.topics(), WAIT);
    Await.result(service.vertx.undeploy(replay));
  }

  private static Map<String, Long> rowCounts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (String table : TABLES) {
      counts.put(table, count("SELECT count(*) FROM " + table));
    }
    counts.put("processed_events", count("SELECT count(*) FROM processed_events"));
    counts.put("outbox", count("SELECT count(*) FROM outbox"));
    return counts;
  }
}
