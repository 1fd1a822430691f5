package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
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
import support.ServiceProcess;
import support.ServiceUnderTest;
import support.TestClock;
import verticles.TradeConsumerVerticle;

/**
 * Scenario 3: the service runs as a separate JVM and is killed with SIGKILL at a random point while
 * it consumes trades, raw events and records, three times in one run. After each restart the stores
 * must equal their oracles: trades as applied one by one, {@code processed_events} once per event,
 * record aggregates over the distinct records, and exactly one outbox message per effect once
 * deduplicated by {@code event_id}, in per-key order.
 */
@Tag("fault")
class ServiceCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceCrashTest.class);
  private static final int KILLS = 3;
  private static final Duration CONVERGE = Duration.ofMinutes(Scale.pick(4, 20));
  private static final String INSTRUMENTS = "instruments";
  private static final String INSTRUMENTS_COMPLETED = "instruments_persisted";

  /** This test's own copy of the service only reads and checks; the child JVM does the work. */
  @RegisterExtension
  static final ServiceUnderTest reader =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));

  private static KafkaTestClient kafka;

  @BeforeAll
  static void connect() {
    kafka =
        new KafkaTestClient(
            reader.vertx, reader.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    for (String topic : List.of(Topics.TRADES, INSTRUMENTS, Topics.RECORDS_IN)) {
      kafka.createTopic(topic, 3);
    }
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @Test
  void killNineThreeTimesLosesAndDoublesNothing() {
    long seed = Seeds.seed();
    Random random = new Random(seed);
    String prefix = "KIL" + seed % 100_000;
    int tradesPerKill = Scale.pick(6_000, 70_000);
    int eventsPerKill = Scale.pick(1_000, 10_000);
    TradeStream trades =
        TradeStream.generate(prefix, tradesPerKill * KILLS, random, TestClock.today());
    RecordStream records = RecordStream.generate(prefix, eventsPerKill * KILLS, random);
    List<JsonObject> instruments = instrumentEvents(prefix, eventsPerKill * KILLS, random);
    List<KafkaConsumerRecord<String, String>> notifications =
        kafka.read(RecordStream.notificationsTopic());
    List<KafkaConsumerRecord<String, String>> completions = kafka.read(INSTRUMENTS_COMPLETED);

    // the rate limit's buckets in Redis, as a clustered deployment keeps them
    Map<String, String> settings =
        Map.of(ConfigKeys.OUTBOX_POLL_INTERVAL_MS, "200", ConfigKeys.RATE_LIMIT_STORE, "redis");
    ServiceProcess service = ServiceProcess.start("crash-0", settings);
    long slowestRecovery = 0;
    try {
      for (int kill = 1; kill <= KILLS; kill++) {
        int tradesUpTo = tradesPerKill * kill;
        int eventsUpTo = eventsPerKill * kill;
        trades.produce(kafka, tradesUpTo - tradesPerKill, tradesUpTo);
        records.produce(kafka, eventsUpTo - eventsPerKill, eventsUpTo);
        produceInstruments(instruments.subList(eventsUpTo - eventsPerKill, eventsUpTo));
        killAtARandomPoint(service, random);
        long restarted = System.nanoTime();
        service = ServiceProcess.start("crash-" + kill, settings);
        awaitAllConverged(trades, records, eventsUpTo, prefix, instruments.subList(0, eventsUpTo));
        slowestRecovery = Math.max(slowestRecovery, System.nanoTime() - restarted);
        LOG.info(
            "Kill {} of {}: everything equal to its oracle {} ms after the restart",
            kill,
            KILLS,
            (System.nanoTime() - restarted) / 1_000_000);
      }
    } finally {
      service.close();
    }

    TradeStream.Verdict tradeVerdict = trades.verify(reader);
    int distinctEvents =
        (int) instruments.stream().map(e -> e.getString("event_id")).distinct().count();
    RecordStream.Notifications notified =
        Await.until(
            "a notification for every record",
            CONVERGE,
            () -> Future.succeededFuture(records.notifications(notifications, records.size())),
            n -> n.missing() == 0);
    Completions completed =
        Await.until(
            "a completion event for every raw event",
            CONVERGE,
            () -> Future.succeededFuture(completions(completions, prefix)),
            c -> c.effects() == distinctEvents);
    Figures.of("kill -9 of the service JVM, " + KILLS + " times")
        .sent(trades.size() + records.size() + instruments.size())
        .stored(tradeVerdict.matching() + records.storedRecords(reader) + processedEvents(prefix))
        .duplicates(notified.republished() + completed.republished())
        .lost(tradeVerdict.lost() + notified.missing() + distinctEvents - completed.effects())
        .recovery(Duration.ofNanos(slowestRecovery))
        .note(
            String.format(
                "trades %,d → %,d ids; records %,d (%,d distinct) → %,d notifications, %d out of"
                    + " order; events %,d (%,d distinct) → %,d completions; duplicates are"
                    + " re-publishes of one event_id; recovery is the slowest restart-to-oracle;"
                    + " seed %d",
                trades.size(),
                tradeVerdict.expected(),
                records.size(),
                records.distinct(),
                notified.distinctEffects(),
                notified.outOfOrder(),
                instruments.size(),
                distinctEvents,
                completed.effects(),
                seed))
        .report();
    assertEquals(0, notified.doubled(), "a record notified under two event ids");
    assertEquals(0, completed.doubled(), "an event completed under two event ids");
    assertEquals(0, notified.outOfOrder(), "notifications of one aggregate out of order");
  }

  /**
   * A random point within the next 3 seconds of consumption, once the new work has started to land.
   */
  private static void killAtARandomPoint(ServiceProcess service, Random random) {
    LockSupport.parkNanos(
        Duration.ofMillis(random.nextInt(3_000)).toNanos()); // the fault's random timing
    service.kill();
  }

  private void awaitAllConverged(
      TradeStream trades,
      RecordStream records,
      int recordsUpTo,
      String prefix,
      List<JsonObject> instruments) {
    Set<String> events = new HashSet<>();
    Map<String, String> nameBySecurity = new HashMap<>();
    instruments.forEach(
        e -> {
          if (events.add(
              e.getString("event_id"))) { // an event sent again is a duplicate: no second effect
            nameBySecurity.put(e.getString("security_id"), e.getString("name"));
          }
        });
    // trades are checked only up to what was produced: the stream's oracle covers all revisions
    // produced so far
    Await.until(
        "records aggregates equal to their oracle",
        CONVERGE,
        () -> records.wrongAggregates(reader, recordsUpTo) == 0);
    Await.until(
        "processed_events holds each event once",
        CONVERGE,
        () -> processedEvents(prefix) == events.size());
    Await.until(
        "instruments hold the last event of each security",
        CONVERGE,
        () -> instrumentsMatching(prefix, nameBySecurity) == nameBySecurity.size());
    Await.until(
        "the outbox drained",
        CONVERGE,
        () ->
            reader
                    .sql("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    .iterator()
                    .next()
                    .getLong(0)
                == 0);
    kafka.awaitCaughtUp(TradeConsumerVerticle.GROUP, List.of(Topics.TRADES), CONVERGE);
    trades.awaitConverged(reader, CONVERGE);
  }

  private static List<JsonObject> instrumentEvents(String prefix, int count, Random random) {
    int securities = Math.max(1, count / 5);
    List<JsonObject> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (i > 0 && random.nextDouble() < 0.05) {
        events.add(events.get(random.nextInt(i))); // the same event sent again
        continue;
      }
      events.add(
          new JsonObject()
              .put("event_id", prefix + "-e" + i)
              .put("security_id", prefix + "-s" + random.nextInt(securities))
              .put("name", "name-" + i)
              .put("isin", "US0378331005")
              .put("instrument_currency", "USD")
              .put("product_type", "EQUITY"));
    }
    return events;
  }

  private static void produceInstruments(List<JsonObject> events) {
    List<Future<?>> sends = new ArrayList<>();
    for (JsonObject e : events) {
      sends.add(
          kafka.sendAsync(
              KafkaProducerRecord.create(INSTRUMENTS, e.getString("security_id"), e.encode())));
    }
    Await.result(Future.all(sends));
  }

  private static int processedEvents(String prefix) {
    return reader
        .sql(
            "SELECT count(*) FROM processed_events WHERE starts_with(event_id, $1)",
            INSTRUMENTS + ":" + prefix)
        .iterator()
        .next()
        .getInteger(0);
  }

  /**
   * Securities whose row holds the name of the last event produced for it (events of one key stay
   * in order).
   */
  private static int instrumentsMatching(String prefix, Map<String, String> nameBySecurity) {
    int matching = 0;
    for (var row :
        reader.sql(
            "SELECT security_id, name FROM instruments WHERE starts_with(security_id, $1)",
            prefix)) {
      if (row.getString("name").equals(nameBySecurity.get(row.getString("security_id")))) {
        matching++;
      }
    }
    return matching;
  }

  /** Completion events deduplicated by the outbox event_id, against the raw event they complete. */
  private record Completions(int effects, int republished, int doubled) {}

  private static Completions completions(
      List<KafkaConsumerRecord<String, String>> topic, String prefix) {
    Map<String, String> rawByOutboxId = new HashMap<>();
    int republished = 0;
    for (KafkaConsumerRecord<String, String> message : List.copyOf(topic)) {
      if (message.key() == null || !message.key().startsWith(prefix)) {
        continue;
      }
      String outboxId = KafkaTestClient.header(message, "event_id");
      if (rawByOutboxId.put(outboxId, new JsonObject(message.value()).getString("event_id"))
          != null) {
        republished++;
      }
    }
    Set<String> raw = new HashSet<>(rawByOutboxId.values());
    return new Completions(raw.size(), republished, rawByOutboxId.size() - raw.size());
  }
}
