package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import kafka.DeadLetters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * Scenario 7: malformed messages mixed into valid traffic on every topic the service consumes. Every
 * poison message reaches its topic's DLQ exactly once with a reason, every valid message is stored, and
 * every consumer group commits to the end of every partition (no partition stalls).
 */
class PoisonFloodTest {
  private static final Duration CONVERGE = Duration.ofMinutes(Scale.pick(4, 20));
  private static final int WINDOW = 2_000;
  private static ServiceUnderTest service;
  private static KafkaTestClient kafka;

  /** A consumed topic: its consumer group, its valid messages, the fields it requires, and its stored count. */
  private record Topic(String name, String group, IntFunction<JsonObject> valid, List<String> required,
      ToIntFunction<ServiceUnderTest> stored) {}

  /** Where each produced message landed, by kind. */
  private record Produced(Set<String> poison, Set<String> valid) {}

  @BeforeAll
  static void deploy() {
    service = ServiceUnderTest.start(new JsonObject());
    kafka = new KafkaTestClient(service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
  }

  @AfterAll
  static void close() {
    kafka.close();
    service.close();
  }

  @Test
  void everyPoisonMessageIsDeadLetteredOnceAndEveryValidOneStored() {
    long seed = Seeds.seed();
    Random random = new Random(seed);
    String p = "PSN" + seed % 100_000 + "X";
    int poisonPerTopic = Scale.pick(1_000, 5_000);
    int validPerTopic = Scale.pick(1_000, 10_000);
    List<Topic> topics = topics(p, seed);
    Map<String, List<KafkaConsumerRecord<String, String>>> dlqs = new LinkedHashMap<>();
    for (Topic topic : topics) {
      kafka.createTopic(topic.name(), 3);
      dlqs.put(topic.name(), kafka.read(topic.name() + DeadLetters.SUFFIX));
    }

    Map<String, Produced> produced = new LinkedHashMap<>();
    for (Topic topic : topics) {
      produced.put(topic.name(), produce(topic, validPerTopic, poisonPerTopic, random));
    }
    long lastProduce = System.nanoTime();

    StringBuilder perTopic = new StringBuilder();
    int stored = 0;
    int deadLettered = 0;
    int duplicates = 0;
    for (Topic topic : topics) {
      int rows = Await.until(topic.name() + ": every valid message stored", CONVERGE,
          () -> Future.succeededFuture(topic.stored().applyAsInt(service)), n -> n >= validPerTopic);
      kafka.awaitCaughtUp(topic.group(), List.of(topic.name()), CONVERGE);
      Produced sent = produced.get(topic.name());
      int[] dlq = Await.until(topic.name() + ": every poison message dead-lettered", CONVERGE,
          () -> Future.succeededFuture(checkDeadLetters(topic.name(), dlqs.get(topic.name()), sent)), r -> r[1] == 0);
      assertEquals(validPerTopic, rows, topic.name() + ": stored rows");
      assertEquals(0, dlq[2], topic.name() + ": poison dead-lettered more than once");
      assertEquals(0, dlq[3], topic.name() + ": valid messages dead-lettered");
      assertEquals(0, dlq[4], topic.name() + ": dead letters without dlq_error or dlq_reason");
      stored += rows;
      deadLettered += dlq[0];
      duplicates += dlq[2];
      perTopic.append(String.format("%s %d/%d; ", topic.name(), rows, dlq[0]));
    }
    Duration recovery = Duration.ofNanos(System.nanoTime() - lastProduce);

    int total = topics.size() * (validPerTopic + poisonPerTopic);
    Figures.of("poison flood on " + topics.size() + " topics").sent(total).stored(stored).duplicates(duplicates)
        .lost(topics.size() * validPerTopic - stored).deadLettered(deadLettered).recovery(recovery)
        .note("stored/dead-lettered per topic: " + perTopic + "recovery = last produce to every group caught up; seed "
            + seed)
        .report();
  }

  /** Valid and poison messages in random order, keyed by entity (some unkeyed), a bounded window in flight. */
  private static Produced produce(Topic topic, int validCount, int poisonCount, Random random) {
    List<Boolean> kinds = new ArrayList<>();
    for (int i = 0; i < validCount + poisonCount; i++) {
      kinds.add(i < validCount);
    }
    java.util.Collections.shuffle(kinds, random);
    Produced produced = new Produced(java.util.concurrent.ConcurrentHashMap.newKeySet(),
        java.util.concurrent.ConcurrentHashMap.newKeySet());
    int validIndex = 0;
    List<Future<?>> window = new ArrayList<>();
    for (boolean isValid : kinds) {
      JsonObject valid = topic.valid().apply(isValid ? validIndex++ : random.nextInt(1_000_000) + 10_000_000);
      String key = random.nextInt(20) == 0 ? null : String.valueOf(valid.getValue(topic.required().get(0)));
      String value = isValid ? valid.encode() : Poison.of(valid, topic.required(), random);
      KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(topic.name(), key, value);
      if (random.nextInt(20) == 0) {
        byte[] junk = new byte[10_240];
        random.nextBytes(junk);
        record.addHeader("correlation_id", Buffer.buffer(junk)); // a garbage header never makes a message poison
      }
      Set<String> into = isValid ? produced.valid() : produced.poison();
      window.add(kafka.sendAsync(record).onSuccess(meta -> into.add(meta.getPartition() + "@" + meta.getOffset())));
      if (window.size() == WINDOW) {
        Await.result(Future.all(window));
        window.clear();
      }
    }
    Await.result(Future.all(window));
    return produced;
  }

  /** {dead letters of this topic's run, poison missing, poison twice, valid ones dead-lettered, without a reason}. */
  private static int[] checkDeadLetters(String topic, List<KafkaConsumerRecord<String, String>> dlq, Produced sent) {
    Set<String> seen = new HashSet<>();
    int mine = 0;
    int twice = 0;
    int validOnes = 0;
    int withoutReason = 0;
    for (KafkaConsumerRecord<String, String> record : List.copyOf(dlq)) {
      String position = KafkaTestClient.header(record, DeadLetters.SOURCE_PARTITION) + "@" + KafkaTestClient.header(record, DeadLetters.SOURCE_OFFSET);
      boolean poison = sent.poison().contains(position);
      if (!topic.equals(KafkaTestClient.header(record, DeadLetters.SOURCE_TOPIC)) || !(poison || sent.valid().contains(position))) {
        continue; // another test's dead letter
      }
      mine++;
      if (!poison) {
        validOnes++;
      } else if (!seen.add(position)) {
        twice++;
      }
      if (isBlank(KafkaTestClient.header(record, DeadLetters.ERROR)) || isBlank(KafkaTestClient.header(record, DeadLetters.REASON))) {
        withoutReason++;
      }
    }
    Set<String> missing = new HashSet<>(sent.poison());
    missing.removeAll(seen);
    return new int[] {mine, missing.size(), twice, validOnes, withoutReason};
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }


  private static int count(String sql, Object... args) {
    return service.sql(sql, args).iterator().next().getInteger(0);
  }

  private static List<Topic> topics(String p, long seed) {
    LocalDate fxBase = LocalDate.of(2400, 1, 1).plusDays(seed % 1_000 * 20);
    return List.of(
        new Topic("trades", "trade-consumer-group",
            i -> Trades.json(p + "t" + i, 1, "B1", TestClock.today().plusDays(30)).put("expired", false),
            List.of("trade_id", "version", "counter_party_id", "book_id", "maturity_date"),
            s -> count("SELECT count(*) FROM trades WHERE starts_with(trade_id, $1)", p + "t")),
        new Topic("raw_transactions", "persistence-service",
            i -> new JsonObject().put("transaction_id", p + "tx" + i).put("portfolio_id", "pf").put("instrument_id", "in")
                .put("security_id", "sec").put("transaction_type", "BUY").put("transaction_date", "2024-03-01T12:00:00Z")
                .put("quantity", "10").put("price", "1.5").put("gross_amount", "15").put("trade_currency", "USD")
                .put("currency", "USD"),
            List.of("transaction_id", "portfolio_id", "transaction_date", "quantity", "price", "currency"),
            s -> count("SELECT count(*) FROM transactions WHERE starts_with(transaction_id, $1)", p + "tx")),
        new Topic("instruments", "persistence-service",
            i -> new JsonObject().put("security_id", p + "in" + i).put("name", "n").put("isin", "US0378331005")
                .put("instrument_currency", "USD").put("product_type", "EQUITY"),
            List.of("security_id", "name", "isin", "instrument_currency", "product_type"),
            s -> count("SELECT count(*) FROM instruments WHERE starts_with(security_id, $1)", p + "in")),
        new Topic("market_prices", "persistence-service",
            i -> new JsonObject().put("security_id", p + "mp" + i).put("price_date", "2024-03-01").put("price", "12.5")
                .put("currency", "EUR"),
            List.of("security_id", "price_date", "price", "currency"),
            s -> count("SELECT count(*) FROM market_prices WHERE starts_with(security_id, $1)", p + "mp")),
        new Topic("fx_rates", "persistence-service",
            i -> new JsonObject().put("from_currency", "XAU").put("to_currency", "XAG")
                .put("rate_date", fxBase.plusDays(i).toString()).put("rate", "80.25"),
            List.of("rate_date", "from_currency", "to_currency", "rate"),
            s -> count("SELECT count(*) FROM fx_rates WHERE from_currency = 'XAU' AND to_currency = 'XAG' "
                + "AND rate_date >= $1 AND rate_date < $2", fxBase, fxBase.plusDays(20_000))),
        new Topic("records.in", "records-ingestion",
            i -> new JsonObject().put("recordId", p + "r" + i).put("time", "2024-03-01T12:00:00Z").put("sourceId", "s")
                .put("destinationId", p + "d" + i % 50).put("type", "positive").put("value", 1.25).put("unit", "SEK")
                .put("reference", "ref"),
            List.of("recordId", "time", "destinationId", "type", "value"),
            s -> count("SELECT count(*) FROM records WHERE starts_with(record_id, $1)", p + "r")),
        new Topic("raw_prices", "finpulse-price-consumer",
            i -> new JsonObject().put("symbol", p + "S" + i).put("price", "101.25").put("timestamp_ms", 1_700_000_000_000L + i),
            List.of("symbol", "price"),
            s -> count("SELECT count(*) FROM prices_raw WHERE starts_with(symbol, $1)", p + "S")));
  }

  /** Malformed variants of a valid message. Each is invalid whatever the topic: no parser can accept it. */
  static final class Poison {
    private Poison() {}

    static String of(JsonObject valid, List<String> required, Random random) {
      String field = required.get(random.nextInt(required.size()));
      return switch (random.nextInt(12)) {
        case 0 -> "not json {" + valid.encode();
        case 1 -> garbage(random);
        case 2 -> "";
        case 3 -> null; // a tombstone
        case 4 -> List.of("[1,2]", "42", "\"text\"", "null", "true").get(random.nextInt(5));
        case 5 -> without(valid, field).encode();
        case 6 -> valid.copy().put(field, List.of(new JsonArray(), new JsonObject(), true).get(random.nextInt(3))).encode();
        case 7 -> valid.copy().put(field, "9".repeat(100_000)).encode();
        case 8 -> valid.encode().replace(quoted(valid, field), "1e400000");
        case 9 -> valid.encode().replace(quoted(valid, field), "NaN");
        case 10 -> "[".repeat(5_000) + "]".repeat(5_000);
        default -> valid.copy().put(field, "\u0000").encode();
      };
    }

    private static JsonObject without(JsonObject valid, String field) {
      JsonObject copy = valid.copy();
      copy.remove(field);
      return copy;
    }

    /** The field's value as it appears in the encoded JSON, so it can be replaced by a raw literal. */
    private static String quoted(JsonObject valid, String field) {
      return new JsonObject().put(field, valid.getValue(field)).encode().replaceAll("^\\{\"[^\"]*\":|\\}$", "");
    }

    private static String garbage(Random random) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(2_000);
      for (int i = 0; i < length; i++) {
        text.append((char) random.nextInt(0x3000));
      }
      return text.toString();
    }
  }
}
