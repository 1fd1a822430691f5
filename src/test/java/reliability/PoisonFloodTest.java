package reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Headers;
import contract.Topics;
import domain.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import messaging.DeadLetters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import support.Await;
import support.KafkaTestClient;
import support.Seeds;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * Scenario 7: malformed messages of every {@link PoisonKind} mixed at random into valid traffic on
 * every topic the service consumes, some unkeyed, some with a 10 KB binary {@code correlation_id};
 * on {@code trades} also valid messages the rules refuse (a lower version, a past maturity). Each
 * poison or refused message reaches {@code <topic>.dlq} exactly once with a reason and without a
 * handler crash, every valid one is stored under its natural key and nothing else is, and every
 * consumer group commits to the end of every partition.
 */
@Tag("fault")
class PoisonFloodTest {
  private static final Duration CONVERGE = Duration.ofMinutes(Scale.pick(3, 20));
  private static final int WINDOW = 1_000;
  private static final int LARGE_PER_TOPIC = 2;

  @RegisterExtension
  static final ServiceUnderTest service = ServiceUnderTest.perClass(new JsonObject());

  private static KafkaTestClient kafka;
  private static KafkaProducer<String, byte[]> producer;

  private enum Role {
    VALID,
    POISON,
    REFUSED
  }

  /** One message to send: its role, key and value, and for a valid one the JSON it carries. */
  private record Outgoing(Role role, String key, byte[] value, JsonObject valid) {
    Outgoing(Role role, String key, JsonObject json) {
      this(
          role,
          key,
          json.encode().getBytes(StandardCharsets.UTF_8),
          role == Role.VALID ? json : null);
    }
  }

  /**
   * What was sent to one topic: positions ("partition@offset") by role, and the valid messages'
   * natural keys.
   */
  private record Sent(
      Map<Role, Set<String>> positions, Set<String> naturalKeys, List<JsonObject> validMessages) {
    Sent() {
      this(
          new EnumMap<>(
              Map.of(
                  Role.VALID,
                  ConcurrentHashMap.newKeySet(),
                  Role.POISON,
                  ConcurrentHashMap.newKeySet(),
                  Role.REFUSED,
                  ConcurrentHashMap.newKeySet())),
          ConcurrentHashMap.newKeySet(),
          new ArrayList<>());
    }

    int count(Role role) {
      return positions.get(role).size();
    }
  }

  /** What one topic's dead-letter queue holds of this run. */
  private record DeadLettered(
      int total,
      int missing,
      int twice,
      int validOnes,
      int withoutReason,
      int crashes,
      int originalDropped) {}

  /**
   * One topic after the flood: what was sent, what is stored, its dead letters, and a stall if it
   * never caught up.
   */
  private record Outcome(
      String topic, Sent sent, Set<String> stored, DeadLettered dlq, String stall) {
    long validStored() {
      return sent.naturalKeys().stream().filter(stored::contains).count();
    }

    /**
     * The stored natural keys of this run are exactly those of the valid messages (none lost, no
     * poison stored); every poison or refused message is dead-lettered once, with a reason, by a
     * handler that did not crash.
     */
    Stream<Executable> checks() {
      Set<String> missing = new HashSet<>(sent.naturalKeys());
      missing.removeAll(stored);
      Set<String> unexpected = new HashSet<>(stored);
      unexpected.removeAll(sent.naturalKeys());
      return Stream.of(
          () -> assertNull(stall, topic + ": a partition stalled"),
          () ->
              assertTrue(
                  missing.isEmpty(),
                  topic
                      + ": "
                      + missing.size()
                      + " valid messages not stored, e.g. "
                      + sample(missing)),
          () ->
              assertTrue(
                  unexpected.isEmpty(),
                  topic
                      + ": "
                      + unexpected.size()
                      + " stored rows no valid message explains, e.g. "
                      + sample(unexpected)),
          () ->
              assertEquals(
                  0, dlq.missing(), topic + ": poison or refused messages not dead-lettered"),
          () -> assertEquals(0, dlq.twice(), topic + ": dead-lettered more than once"),
          () -> assertEquals(0, dlq.validOnes(), topic + ": valid messages dead-lettered"),
          () ->
              assertEquals(
                  0,
                  dlq.withoutReason(),
                  topic
                      + ": dead letters without "
                      + DeadLetters.ERROR
                      + " or "
                      + DeadLetters.REASON),
          () ->
              assertEquals(
                  0,
                  dlq.crashes(),
                  topic + ": handler crashes (" + ErrorCode.INTERNAL_ERROR + " dead letters)"));
    }

    String summary() {
      return String.format(
          "%s %d/%d/%d → %d/%d",
          topic,
          sent.count(Role.VALID),
          sent.count(Role.POISON),
          sent.count(Role.REFUSED),
          validStored(),
          dlq.total());
    }
  }

  @BeforeAll
  static void deploy() {
    String bootstrap = service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    kafka = new KafkaTestClient(service.vertx, bootstrap);
    producer =
        KafkaProducer.create(
            service.vertx,
            Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", "5"),
            String.class,
            byte[].class);
  }

  @AfterAll
  static void close() {
    Await.result(producer.close());
    kafka.close();
  }

  @Test
  void everyPoisonMessageIsDeadLetteredOnceAndEveryValidOneStored() {
    long seed = Seeds.seed();
    Random random = new Random(seed);
    String p = "PSN" + seed % 100_000 + "X";
    List<PoisonTopic> topics = PoisonTopic.all(p, seed);
    Map<String, List<KafkaConsumerRecord<String, String>>> dlqs = new HashMap<>();
    for (PoisonTopic topic : topics) {
      kafka.createTopic(topic.name(), 3);
      dlqs.put(topic.name(), kafka.read(topic.name() + Topics.DEAD_LETTER_SUFFIX));
    }

    Map<PoisonKind, Integer> kinds = new TreeMap<>();
    Map<String, Sent> sent = new HashMap<>();
    for (PoisonTopic topic : topics) {
      int refused = topic.name().equals("trades") ? Scale.pick(100, 500) : 0;
      sent.put(
          topic.name(),
          produce(
              topic, Scale.pick(1_000, 10_000), Scale.pick(1_000, 5_000), refused, random, kinds));
    }
    long lastProduce = System.nanoTime();
    long deadline = lastProduce + CONVERGE.toNanos();
    Map<String, String> stalls = new HashMap<>();
    for (PoisonTopic topic : topics) {
      try {
        kafka.awaitCaughtUp(topic.group(), List.of(topic.name()), remaining(deadline));
      } catch (AssertionError stalled) {
        stalls.put(topic.name(), stalled.getMessage());
      }
    }
    Duration recovery = Duration.ofNanos(System.nanoTime() - lastProduce);

    List<Outcome> outcomes = new ArrayList<>();
    for (PoisonTopic topic : topics) {
      Sent out = sent.get(topic.name());
      DeadLettered dlq =
          Await.until(
              topic.name() + " dead letters",
              remaining(deadline).plusSeconds(5),
              () -> Future.succeededFuture(deadLetters(topic.name(), dlqs.get(topic.name()), out)),
              d -> d.missing() == 0 || System.nanoTime() > deadline);
      outcomes.add(
          new Outcome(
              topic.name(), out, topic.stored().apply(service), dlq, stalls.get(topic.name())));
    }
    List<JsonObject> records = sent.get("records.in").validMessages();
    assertAll(
        Stream.concat(
            outcomes.stream().flatMap(Outcome::checks),
            Stream.of(() -> assertRecordAggregates(p, records))));

    Figures.of("poison flood on " + topics.size() + " topics")
        .sent(
            sum(
                outcomes,
                o ->
                    o.sent().count(Role.VALID)
                        + o.sent().count(Role.POISON)
                        + o.sent().count(Role.REFUSED)))
        .stored(sum(outcomes, Outcome::validStored))
        .duplicates(sum(outcomes, o -> o.dlq().twice()))
        .lost(sum(outcomes, o -> o.sent().count(Role.VALID) - o.validStored()))
        .deadLettered(sum(outcomes, o -> o.dlq().total()))
        .recovery(recovery)
        .note(
            topics.size()
                + " topics; per topic valid/poison/refused sent → stored/dead-lettered: "
                + outcomes.stream().map(Outcome::summary).collect(Collectors.joining("; "))
                + "; poison kinds: "
                + kinds
                + "; "
                + sum(outcomes, o -> o.dlq().originalDropped())
                + " dead letters too large to carry the original; "
                + "recovery = last produce to every group caught up; seed "
                + seed)
        .report();
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(
        Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
  }

  private static long sum(List<Outcome> outcomes, ToLongFunction<Outcome> figure) {
    return outcomes.stream().mapToLong(figure).sum();
  }

  /**
   * Valid, poison and (on trades) refused messages in random order, keyed by entity id (one in 20
   * unkeyed), one in 20 with a 10 KB binary correlation id; sent asynchronously, at most {@link
   * #WINDOW} in flight.
   */
  private static Sent produce(
      PoisonTopic topic,
      int validCount,
      int poisonCount,
      int refusedCount,
      Random random,
      Map<PoisonKind, Integer> kinds) {
    List<Role> roles = new ArrayList<>(Collections.nCopies(validCount, Role.VALID));
    roles.addAll(Collections.nCopies(poisonCount, Role.POISON));
    roles.addAll(Collections.nCopies(refusedCount, Role.REFUSED));
    Collections.shuffle(roles, random);
    List<PoisonKind> mix = PoisonKind.mix(topic);
    Sent sent = new Sent();
    List<String> keyedTrades = new ArrayList<>();
    List<Future<?>> window = new ArrayList<>();
    int valid = 0;
    int poison = 0;
    for (Role role : roles) {
      Outgoing message =
          switch (role) {
            case VALID -> {
              JsonObject json = topic.valid().apply(valid++);
              yield new Outgoing(role, unkeyedOrKey(topic, json, random), json);
            }
            case POISON -> {
              PoisonKind kind =
                  poison < LARGE_PER_TOPIC
                      ? PoisonKind.LARGE_BINARY
                      : mix.get(random.nextInt(mix.size()));
              kinds.merge(kind, 1, Integer::sum);
              JsonObject template = topic.valid().apply(PoisonTopic.POISON_BASE + poison++);
              yield new Outgoing(
                  role,
                  unkeyedOrKey(topic, template, random),
                  kind.value(topic, template, random),
                  null);
            }
            case REFUSED ->
                refusedTrade(topic, keyedTrades, PoisonTopic.POISON_BASE * 2 + poison++, random);
          };
      if (refusedCount > 0 && role == Role.VALID && message.key() != null) {
        keyedTrades.add(message.key());
      }
      byte[] correlationId = random.nextInt(20) == 0 ? junk(10_240, random) : null;
      window.add(send(topic, message, correlationId, sent));
      if (window.size() == WINDOW) {
        Await.result(Future.all(window));
        window.clear();
      }
    }
    Await.result(Future.all(window));
    return sent;
  }

  /**
   * A valid trade the rules refuse: a lower version of a trade sent before on the same key (so it
   * is applied after it), or, when there is none yet, a maturity in the past.
   */
  private static Outgoing refusedTrade(
      PoisonTopic topic, List<String> keyedTrades, int fresh, Random random) {
    JsonObject trade =
        keyedTrades.isEmpty() || random.nextBoolean()
            ? topic
                .valid()
                .apply(fresh)
                .put(
                    "maturity_date",
                    TestClock.today().minusDays(1 + random.nextInt(365)).toString())
            : Trades.json(
                keyedTrades.get(random.nextInt(keyedTrades.size())),
                0,
                "B1",
                TestClock.today().plusDays(30));
    return new Outgoing(Role.REFUSED, trade.getString("trade_id"), trade);
  }

  private static String unkeyedOrKey(PoisonTopic topic, JsonObject message, Random random) {
    return random.nextInt(20) == 0 ? null : topic.key().apply(message);
  }

  private static byte[] junk(int length, Random random) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /**
   * @param correlationId binary garbage for the header, or null: it never makes a message poison
   */
  private static Future<?> send(
      PoisonTopic topic, Outgoing message, byte[] correlationId, Sent sent) {
    KafkaProducerRecord<String, byte[]> record =
        KafkaProducerRecord.create(topic.name(), message.key(), message.value());
    if (correlationId != null) {
      record.addHeader(Headers.CORRELATION_ID, Buffer.buffer(correlationId));
    }
    return producer
        .send(record)
        .onSuccess(
            meta -> {
              sent.positions()
                  .get(message.role())
                  .add(meta.getPartition() + "@" + meta.getOffset());
              if (message.valid() != null) {
                sent.naturalKeys()
                    .add(
                        topic
                            .naturalKey()
                            .of(message.valid(), meta.getPartition(), meta.getOffset()));
                synchronized (sent.validMessages()) {
                  sent.validMessages().add(message.valid());
                }
              }
            });
  }

  /** Each (destination, reference) aggregate is the signed sum and count of its valid records. */
  private static void assertRecordAggregates(String p, List<JsonObject> records) {
    Map<String, String> expected =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.getString("destinationId") + "|" + r.getString("reference"),
                    Collectors.collectingAndThen(
                        Collectors.toList(),
                        group ->
                            aggregate(
                                group.stream()
                                    .map(PoisonFloodTest::signed)
                                    .reduce(BigDecimal.ZERO, BigDecimal::add),
                                group.size()))));
    Map<String, String> actual = new HashMap<>();
    service
        .sql(
            "SELECT destination_id, reference, total, record_count FROM record_aggregates "
                + "WHERE starts_with(destination_id, $1)",
            p)
        .forEach(
            row ->
                actual.put(
                    row.getString(0) + "|" + row.getString(1),
                    aggregate(row.getBigDecimal(2), row.getLong(3))));
    assertEquals(expected, actual, "record aggregates");
  }

  private static BigDecimal signed(JsonObject record) {
    BigDecimal value = new BigDecimal(record.getString("value"));
    return "negative".equals(record.getString("type")) ? value.negate() : value;
  }

  private static String aggregate(BigDecimal total, long count) {
    return total.stripTrailingZeros().toPlainString() + " x" + count;
  }

  /**
   * Counts this run's dead letters of a topic against what was sent (other tests' dead letters are
   * skipped).
   */
  private static DeadLettered deadLetters(
      String topic, List<KafkaConsumerRecord<String, String>> dlq, Sent sent) {
    Set<String> expected = new HashSet<>(sent.positions().get(Role.POISON));
    expected.addAll(sent.positions().get(Role.REFUSED));
    Set<String> seen = new HashSet<>();
    int total = 0;
    int twice = 0;
    int validOnes = 0;
    int withoutReason = 0;
    int crashes = 0;
    int dropped = 0;
    for (KafkaConsumerRecord<String, String> record : List.copyOf(dlq)) {
      String position =
          header(record, DeadLetters.SOURCE_PARTITION)
              + "@"
              + header(record, DeadLetters.SOURCE_OFFSET);
      boolean mine =
          expected.contains(position) || sent.positions().get(Role.VALID).contains(position);
      if (!topic.equals(header(record, DeadLetters.SOURCE_TOPIC)) || !mine) {
        continue;
      }
      total++;
      if (!expected.contains(position)) {
        validOnes++;
      } else if (!seen.add(position)) {
        twice++;
      }
      if (header(record, DeadLetters.ERROR).isBlank()
          || header(record, DeadLetters.REASON).isBlank()) {
        withoutReason++;
      }
      if (ErrorCode.INTERNAL_ERROR.name().equals(header(record, DeadLetters.ERROR))) {
        crashes++;
      }
      if (!header(record, DeadLetters.ORIGINAL_DROPPED).isEmpty()) {
        dropped++;
      }
    }
    expected.removeAll(seen);
    return new DeadLettered(
        total, expected.size(), twice, validOnes, withoutReason, crashes, dropped);
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    String value = KafkaTestClient.header(record, name);
    return value == null ? "" : value;
  }

  private static String sample(Set<String> keys) {
    return keys.stream()
        .limit(5)
        .map(k -> k.length() > 80 ? k.substring(0, 80) + "…" : k)
        .toList()
        .toString();
  }
}
