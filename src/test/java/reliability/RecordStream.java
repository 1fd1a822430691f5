package reliability;

import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;

/**
 * Records (seed 002) with some sent twice, and the oracles of what must follow: one aggregate per
 * (destination, reference) with the sum and count of the distinct records, and exactly one
 * notification per record once deduplicated by the outbox's {@code event_id} header, in per-key
 * order (the summary's record count of one aggregate rises by one from notification to
 * notification).
 */
final class RecordStream {
  private static final int PRODUCE_WINDOW = 2_000;

  record Rec(
      String recordId, String destination, String reference, boolean negative, BigDecimal value) {
    JsonObject json() {
      return new JsonObject()
          .put("recordId", recordId)
          .put("time", Instant.now().toString())
          .put("sourceId", "src")
          .put("destinationId", destination)
          .put("type", negative ? "negative" : "positive")
          .put("value", value)
          .put("unit", "SEK")
          .put("reference", reference);
    }

    BigDecimal signed() {
      return negative ? value.negate() : value;
    }
  }

  /**
   * What the notifications topic shows for this stream: republished = the same event_id again
   * (allowed, consumers deduplicate); doubled = two event ids for one record (a second effect:
   * never allowed).
   */
  record Notifications(
      int messages,
      int distinctEffects,
      int republished,
      int doubled,
      int missing,
      int outOfOrder) {}

  private final String prefix;
  private final List<Rec> records;

  private RecordStream(String prefix, List<Rec> records) {
    this.prefix = prefix;
    this.records = records;
  }

  /** About 20 records per destination over 3 references; 5% are an earlier record sent again. */
  static RecordStream generate(String prefix, int count, Random random) {
    int destinations = Math.max(1, count / 20);
    List<Rec> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (i > 0 && random.nextDouble() < 0.05) {
        records.add(records.get(random.nextInt(i)));
        continue;
      }
      records.add(
          new Rec(
              prefix + "-r" + i,
              prefix + "-d" + random.nextInt(destinations),
              "ref" + random.nextInt(3),
              random.nextDouble() < 0.3,
              BigDecimal.valueOf(random.nextInt(99_999), 2)));
    }
    return new RecordStream(prefix, records);
  }

  int size() {
    return records.size();
  }

  List<Rec> slice(int from, int to) {
    return records.subList(from, to);
  }

  int distinct() {
    return (int) records.stream().map(Rec::recordId).distinct().count();
  }

  /** Straight to the ingestion topic, keyed by destination as {@code POST /records} does. */
  void produce(KafkaTestClient kafka, int from, int to) {
    for (int start = from; start < to; start += PRODUCE_WINDOW) {
      List<Future<?>> window = new ArrayList<>();
      for (Rec r : records.subList(start, Math.min(to, start + PRODUCE_WINDOW))) {
        window.add(
            kafka.sendAsync(
                KafkaProducerRecord.create(Topics.RECORDS_IN, r.destination(), r.json().encode())));
      }
      Await.result(Future.all(window));
    }
  }

  /** "destination|reference" → {sum, count} over the distinct records of [0, upTo). */
  private Map<String, BigDecimal[]> aggregateOracle(int upTo) {
    Map<String, BigDecimal[]> oracle = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Rec r : records.subList(0, upTo)) {
      if (seen.add(r.recordId())) {
        BigDecimal[] a =
            oracle.computeIfAbsent(
                r.destination() + "|" + r.reference(),
                k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        a[0] = a[0].add(r.signed());
        a[1] = a[1].add(BigDecimal.ONE);
      }
    }
    return oracle;
  }

  /**
   * Aggregates that differ from the oracle of the first {@code upTo} records (missing, extra or
   * wrong).
   */
  int wrongAggregates(ServiceUnderTest service, int upTo) {
    Map<String, BigDecimal[]> oracle = aggregateOracle(upTo);
    int wrong = 0;
    for (Row row :
        service.sql(
            "SELECT destination_id, reference, total, record_count FROM record_aggregates "
                + "WHERE starts_with(destination_id, $1)",
            prefix + "-")) {
      BigDecimal[] want =
          oracle.remove(row.getString("destination_id") + "|" + row.getString("reference"));
      if (want == null
          || want[0].compareTo(row.getBigDecimal("total")) != 0
          || want[1].longValue() != row.getLong("record_count")) {
        wrong++;
      }
    }
    return wrong + oracle.size();
  }

  /**
   * Records of [0, upTo) stored exactly once (the table's key makes more impossible; fewer is
   * loss).
   */
  int storedRecords(ServiceUnderTest service) {
    return service
        .sql("SELECT count(*) FROM records WHERE starts_with(record_id, $1)", prefix + "-")
        .iterator()
        .next()
        .getInteger(0);
  }

  /**
   * Checks the notifications of this stream read so far against the distinct records of [0, upTo).
   */
  Notifications notifications(List<KafkaConsumerRecord<String, String>> topic, int upTo) {
    Set<String> wanted = new HashSet<>();
    records.subList(0, upTo).forEach(r -> wanted.add(r.recordId()));
    Map<String, String> recordByEvent = new LinkedHashMap<>();
    Map<String, Long> lastCountByAggregate = new HashMap<>();
    int mine = 0;
    int republished = 0;
    int outOfOrder = 0;
    for (KafkaConsumerRecord<String, String> message : List.copyOf(topic)) {
      if (message.key() == null || !message.key().startsWith(prefix + "-")) {
        continue;
      }
      mine++;
      String eventId = KafkaTestClient.header(message, "event_id");
      if (recordByEvent.containsKey(eventId)) {
        republished++;
        continue;
      }
      JsonObject body = new JsonObject(message.value());
      recordByEvent.put(eventId, body.getJsonObject("record").getString("recordId"));
      JsonObject summary = body.getJsonObject("summary");
      String aggregate = summary.getString("destinationId") + "|" + summary.getString("reference");
      long count = summary.getLong("recordCount");
      Long previous = lastCountByAggregate.put(aggregate, count);
      if (count != (previous == null ? 1 : previous + 1)) {
        outOfOrder++;
      }
    }
    Set<String> notified = new HashSet<>(recordByEvent.values());
    Set<String> missing = new HashSet<>(wanted);
    missing.removeAll(notified);
    return new Notifications(
        mine,
        notified.size(),
        republished,
        recordByEvent.size() - notified.size(),
        missing.size(),
        outOfOrder);
  }

  static String notificationsTopic() {
    return Topics.NOTIFICATIONS;
  }
}
