package outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import support.TestInfra;
import verticles.OutboxVerticle;

/**
 * The outbox dispatcher loses nothing: not while Kafka is down, not when it dies between publish
 * and mark.
 */
@Tag("integration")
class OutboxTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  // The dispatcher is deployed by each test, after its outbox rows exist.
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "records,api")
              .put(ConfigKeys.OUTBOX_POLL_INTERVAL_MS, 200));

  private static KafkaTestClient kafka;
  private static List<KafkaConsumerRecord<String, String>> notifications;

  @BeforeAll
  static void deploy() {
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic("records.in", 3);
    kafka.createTopic("notifications", 3);
    notifications = kafka.read("notifications");
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @BeforeEach
  void clean() {
    service.truncate("outbox");
  }

  private static long pending() {
    return service
        .sql("SELECT count(*) FROM outbox WHERE published_at IS NULL AND failed_at IS NULL")
        .iterator()
        .next()
        .getLong(0);
  }

  /**
   * Posts records over 3 destinations and waits until their outbox rows are committed, unpublished.
   */
  private static void recordsPendingInOutbox(String prefix, int count) {
    recordsPendingInOutbox(prefix, count, count);
  }

  private static void recordsPendingInOutbox(String prefix, int count, int pendingRows) {
    for (int i = 0; i < count; i++) {
      JsonObject r =
          new JsonObject()
              .put("recordId", prefix + i)
              .put("time", Instant.now().toString())
              .put("sourceId", "s")
              .put("destinationId", "dest-" + (i % 3))
              .put("type", "positive")
              .put("value", i)
              .put("unit", "SEK")
              .put("reference", "ref");
      assertEquals(202, service.postJson("/records", r).statusCode());
    }
    Await.until(pendingRows + " pending outbox rows", WAIT, () -> pending() == pendingRows);
  }

  private static String deployDispatcher() {
    return Await.result(
        service.vertx.deployVerticle(
            new OutboxVerticle(), new DeploymentOptions().setConfig(service.config)));
  }

  private static String eventId(KafkaConsumerRecord<String, String> record) {
    return record.headers().stream()
        .filter(h -> h.key().equals(OutboxVerticle.EVENT_ID_HEADER))
        .map(h -> h.value().toString(StandardCharsets.UTF_8))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Outbox rows of this test in id order, grouped by key: the order each key's messages must keep.
   */
  private static Map<String, List<String>> expectedOrderByKey() {
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    service
        .sql(
            "SELECT event_id::text, message_key FROM outbox WHERE topic = 'notifications' AND NOT"
                + " payload ? 'blob' ORDER BY id")
        .forEach(
            row ->
                byKey
                    .computeIfAbsent(row.getString(1), k -> new ArrayList<>())
                    .add(row.getString(0)));
    return byKey;
  }

  /** What a downstream consumer deduplicating by event_id sees, per key, in arrival order. */
  private static Map<String, List<String>> deduplicatedByKey(Set<String> eventIds) {
    Map<String, LinkedHashSet<String>> seen = new LinkedHashMap<>();
    for (KafkaConsumerRecord<String, String> record : List.copyOf(notifications)) {
      String id = eventId(record);
      if (eventIds.contains(id)) {
        seen.computeIfAbsent(record.key(), k -> new LinkedHashSet<>()).add(id);
      }
    }
    return seen.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
  }

  private static Set<String> ids(Map<String, List<String>> byKey) {
    return byKey.values().stream().flatMap(List::stream).collect(Collectors.toSet());
  }

  @Test
  void rowsPendingWhileKafkaIsDownArePublishedInPerKeyOrderOnceItIsBack() {
    recordsPendingInOutbox("DOWN-", 30);
    Map<String, List<String>> expected = expectedOrderByKey();
    TestInfra.get().stopKafka();
    String dispatcher = null;
    try {
      dispatcher = deployDispatcher();
      // The dispatcher holds its advisory lock while it tries to publish to the stopped broker.
      Await.until(
          "a publish attempt while Kafka is down",
          WAIT,
          () ->
              service
                      .sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
                      .iterator()
                      .next()
                      .getLong(0)
                  > 0);
      assertEquals(30, pending(), "nothing is marked published while Kafka is down");
    } finally {
      TestInfra.get().startKafka();
    }
    Await.until("every pending row published", WAIT, () -> pending() == 0);
    Await.until(
        "every notification received",
        WAIT,
        () -> deduplicatedByKey(ids(expected)).values().stream().mapToInt(List::size).sum() == 30);
    assertEquals(expected, deduplicatedByKey(ids(expected)), "per-key order holds");
    Await.result(service.vertx.undeploy(dispatcher));
  }

  @Test
  void aCrashBetweenPublishAndMarkGivesDuplicatesNeverLoss() {
    // The first attempt to mark rows published fails, as if the dispatcher died after Kafka
    // acknowledged.
    service.sql("CREATE SEQUENCE IF NOT EXISTS fail_mark_once");
    service.sql("SELECT setval('fail_mark_once', 1, false)");
    service.sql(
        """
        CREATE OR REPLACE FUNCTION fail_first_mark() RETURNS trigger AS $$
        BEGIN
          IF NEW.published_at IS NOT NULL AND OLD.published_at IS NULL AND nextval('fail_mark_once') = 1 THEN
            RAISE EXCEPTION 'dispatcher crashed before marking';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql\
        """);
    service.sql(
        "CREATE TRIGGER fail_first_mark BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION"
            + " fail_first_mark()");
    String dispatcher = null;
    try {
      recordsPendingInOutbox("CRASH-", 12);
      Map<String, List<String>> expected = expectedOrderByKey();
      dispatcher = deployDispatcher();
      Await.until("every row published after the failed mark", WAIT, () -> pending() == 0);
      Await.until(
          "every notification received",
          WAIT,
          () ->
              deduplicatedByKey(ids(expected)).values().stream().mapToInt(List::size).sum() == 12);
      // The second publish was acknowledged before its mark: its copies may still be on their way
      // to our reader.
      Await.until(
          "the batch whose mark failed published again",
          WAIT,
          () ->
              notifications.stream().filter(r -> ids(expected).contains(eventId(r))).count() > 12);
      assertEquals(
          expected,
          deduplicatedByKey(ids(expected)),
          "deduplicated by event_id: each exactly once, in order");
    } finally {
      service.sql("DROP TRIGGER IF EXISTS fail_first_mark ON outbox");
      if (dispatcher != null) {
        Await.result(service.vertx.undeploy(dispatcher));
      }
    }
  }

  @Test
  void aMessageKafkaRefusesForGoodIsMarkedFailedAndDoesNotBlockTheRest() {
    service.sql(
        "INSERT INTO outbox (event_id, topic, message_key, payload) VALUES (gen_random_uuid(),"
            + " 'notifications', 'dest-0', jsonb_build_object('blob', repeat('x', 1100000)))");
    recordsPendingInOutbox("AFTER-BIG-", 3, 4);
    Map<String, List<String>> expected = expectedOrderByKey();
    String dispatcher = deployDispatcher();
    try {
      Await.until("every publishable row published", WAIT, () -> pending() == 0);
      var big =
          service
              .sql("SELECT published_at, failed_at, last_error FROM outbox WHERE payload ? 'blob'")
              .iterator()
              .next();
      assertTrue(big.getValue("published_at") == null && big.getValue("failed_at") != null);
      assertTrue(
          big.getString("last_error").contains("RecordTooLarge"), big.getString("last_error"));
      Set<String> small = ids(expected);
      Await.until(
          "the 3 later notifications",
          WAIT,
          () -> deduplicatedByKey(small).values().stream().mapToInt(List::size).sum() == 3);
    } finally {
      Await.result(service.vertx.undeploy(dispatcher));
    }
  }
}
