package reliability;

import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;

/**
 * Trade revisions for the {@code trades} topic, with exact duplicates, repeated versions and
 * versions that arrive out of order, plus the oracle of what the store must hold afterwards: per
 * trade id, the revisions applied one by one in produce order (same version replaces, higher
 * updates, lower is refused and dead-lettered). Every revision carries a unique counter party, so a
 * stale row shows.
 */
final class TradeStream {
  static final String DLQ = Topics.TRADES + ".dlq";
  private static final int PRODUCE_WINDOW = 2_000;

  record Revision(
      int seq, String tradeId, int version, String counterParty, String book, LocalDate maturity) {
    String json() {
      return new JsonObject()
          .put("trade_id", tradeId)
          .put("version", version)
          .put("counter_party_id", counterParty)
          .put("book_id", book)
          .put("maturity_date", maturity.toString())
          .put("expired", false)
          .encode();
    }
  }

  /** How the stored trades compare with the oracle. */
  record Verdict(int expected, int matching, int missing, int stale) {
    int lost() {
      return missing + stale;
    }
  }

  /**
   * The dead-letter queue of this stream's records, checked against the refusals the oracle
   * expects.
   */
  record DeadLetters(
      int records,
      int duplicates,
      int expectedRefusals,
      int missingRefusals,
      int redeliveredRefusals,
      Set<String> errorCodes) {}

  private final String prefix;
  private final List<Revision> revisions;

  /** "partition@offset" of each produced revision, for matching dead letters back to it. */
  private final Map<String, Integer> seqByPosition = new HashMap<>();

  /** Revisions [0, produced) were produced: the oracles cover those. */
  private int produced;

  private TradeStream(String prefix, List<Revision> revisions) {
    this.prefix = prefix;
    this.revisions = revisions;
  }

  /**
   * About four revisions per trade id: rising, repeated and late versions, and some exact
   * duplicates.
   */
  static TradeStream generate(String prefix, int count, Random random, LocalDate today) {
    int ids = Math.max(1, count / 4);
    Map<String, Revision> latest = new HashMap<>();
    List<Revision> revisions = new ArrayList<>(count);
    for (int seq = 0; seq < count; seq++) {
      String id = prefix + "-" + random.nextInt(ids);
      Revision previous = latest.get(id);
      double roll = random.nextDouble();
      Revision next;
      if (previous != null && roll < 0.05) {
        next =
            new Revision(
                seq,
                id,
                previous.version(),
                previous.counterParty(),
                previous.book(),
                previous.maturity());
      } else {
        int top = previous == null ? 0 : previous.version();
        int version = roll < 0.65 ? top + 1 : roll < 0.80 ? top : random.nextInt(top + 1);
        next =
            new Revision(
                seq,
                id,
                version,
                "CP-" + seq,
                "B" + random.nextInt(10),
                today.plusDays(30 + random.nextInt(3_000)));
      }
      revisions.add(next);
      if (previous == null || next.version() >= previous.version()) {
        latest.put(id, next);
      }
    }
    return new TradeStream(prefix, revisions);
  }

  int size() {
    return revisions.size();
  }

  /**
   * Produces revisions [from, to) keyed by trade id, a bounded window in flight, and records their
   * positions.
   */
  void produce(KafkaTestClient kafka, int from, int to) {
    for (int start = from; start < to; start += PRODUCE_WINDOW) {
      List<Future<?>> window = new ArrayList<>();
      for (Revision r : revisions.subList(start, Math.min(to, start + PRODUCE_WINDOW))) {
        window.add(
            kafka
                .sendAsync(KafkaProducerRecord.create(Topics.TRADES, r.tradeId(), r.json()))
                .onSuccess(meta -> recordPosition(meta.getPartition(), meta.getOffset(), r.seq())));
      }
      Await.result(Future.all(window));
    }
    produced = Math.max(produced, to);
  }

  private synchronized void recordPosition(int partition, long offset, int seq) {
    seqByPosition.put(partition + "@" + offset, seq);
  }

  /**
   * The final row of each trade id: the revisions produced so far applied one by one in produce
   * order.
   */
  Map<String, Revision> oracle() {
    Map<String, Revision> state = new HashMap<>();
    for (Revision r : revisions.subList(0, produced)) {
      Revision stored = state.get(r.tradeId());
      if (stored == null || r.version() >= stored.version()) {
        state.put(r.tradeId(), r);
      }
    }
    return state;
  }

  /** Revisions the version rule must refuse: lower than the version stored when they arrive. */
  Set<Integer> expectedRefusals() {
    Map<String, Integer> top = new HashMap<>();
    Set<Integer> refused = new HashSet<>();
    for (Revision r : revisions.subList(0, produced)) {
      Integer stored = top.get(r.tradeId());
      if (stored != null && r.version() < stored) {
        refused.add(r.seq());
      } else {
        top.put(r.tradeId(), r.version());
      }
    }
    return refused;
  }

  Verdict verify(ServiceUnderTest service) {
    Map<String, Revision> oracle = oracle();
    int matching = 0;
    int stale = 0;
    for (Row row :
        service.sql(
            "SELECT trade_id, version, counter_party_id, book_id, maturity_date FROM trades "
                + "WHERE starts_with(trade_id, $1)",
            prefix + "-")) {
      Revision want = oracle.get(row.getString("trade_id"));
      boolean same =
          want != null
              && want.version() == row.getInteger("version")
              && want.counterParty().equals(row.getString("counter_party_id"))
              && want.book().equals(row.getString("book_id"))
              && want.maturity().equals(row.getLocalDate("maturity_date"));
      if (same) {
        matching++;
      } else {
        stale++;
      }
    }
    return new Verdict(oracle.size(), matching, oracle.size() - matching - stale, stale);
  }

  /** Polls until the store equals the oracle; fails with the last verdict after the deadline. */
  Verdict awaitConverged(ServiceUnderTest service, java.time.Duration timeout) {
    return Await.until(
        "trades equal to the oracle",
        timeout,
        () -> Future.succeededFuture(verify(service)),
        verdict -> verdict.lost() == 0);
  }

  /**
   * Matches this stream's dead letters (by source partition and offset) with the refusals the
   * oracle expects.
   */
  DeadLetters deadLetters(List<KafkaConsumerRecord<String, String>> dlq) {
    Set<Integer> expected = expectedRefusals();
    Set<Integer> seen = new HashSet<>();
    Set<String> codes = new HashSet<>();
    int records = 0;
    int duplicates = 0;
    for (KafkaConsumerRecord<String, String> record : List.copyOf(dlq)) {
      if (record.key() == null || !record.key().startsWith(prefix + "-")) {
        continue;
      }
      records++;
      codes.add(KafkaTestClient.header(record, "dlq_error"));
      Integer seq =
          seqByPosition(
              KafkaTestClient.header(record, "dlq_source_partition")
                  + "@"
                  + KafkaTestClient.header(record, "dlq_source_offset"));
      if (seq == null || !seen.add(seq)) {
        duplicates++;
      }
    }
    Set<Integer> missing = new HashSet<>(expected);
    missing.removeAll(seen);
    Set<Integer> redelivered = new HashSet<>(seen);
    redelivered.removeAll(expected);
    return new DeadLetters(
        records, duplicates, expected.size(), missing.size(), redelivered.size(), codes);
  }

  private synchronized Integer seqByPosition(String position) {
    return seqByPosition.get(position);
  }
}
