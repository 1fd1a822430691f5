package trades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.Addresses;
import contract.ConfigKeys;
import contract.Headers;
import domain.ErrorCode;
import domain.Trade;
import domain.UpsertResult;
import domain.UpsertResult.Outcome;
import domain.UpsertTrade;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;

/**
 * Group commit of trade upserts: many requests in flight at once, with repeated ids, same, higher
 * and lower versions, and rows the database refuses, must each get exactly the outcome that
 * applying them one by one in arrival order would give, and leave the same rows.
 */
@Tag("integration")
class TradeCoalescingTest {
  // with metrics, to read how many statements carried the requests
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          TestInfra::vertxWithMetrics, new JsonObject().put(ConfigKeys.ROLES, "trades,api"));

  /**
   * What one request expects: a stored outcome, a version refusal, or a refusal by the database.
   */
  private record Expected(Outcome outcome, boolean refusedByDatabase) {}

  @Test
  void concurrentUpsertsGetTheOutcomesOfSequentialApplication() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String prefix = "CO" + seed % 100_000 + "-";
    List<Trade> trades = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String id = prefix + random.nextInt(60);
      String book =
          random.nextInt(100) == 0 ? "bad\u0000book" : "B" + i; // a NUL the database refuses
      trades.add(
          new Trade(
              id,
              random.nextInt(8),
              "CP-" + i,
              book,
              TestClock.today().plusDays(10),
              TestClock.today(),
              false));
    }
    List<Expected> oracle = sequentialOutcomes(trades);
    long processedBefore = counter("source", "rest");
    long failuresBefore = counter("validation_failures", "rest");

    List<Future<Message<UpsertResult>>> replies = sendAllAtOnce(trades);
    Await.result(
        Future.join(replies).otherwiseEmpty()); // some fail, as expected: checked one by one below

    int batchedRefusals = 0;
    for (int i = 0; i < trades.size(); i++) {
      Expected want = oracle.get(i);
      Future<Message<UpsertResult>> reply = replies.get(i);
      String what =
          "request "
              + i
              + " ("
              + trades.get(i).tradeId()
              + " v"
              + trades.get(i).version()
              + "), seed "
              + seed;
      assertTrue(
          reply.succeeded(),
          () -> what + ": a refusal is an outcome, not a failure: " + reply.cause());
      UpsertResult result = reply.result().body();
      assertEquals(want.outcome(), result.outcome(), what);
      if (want.refusedByDatabase()) {
        assertEquals(ErrorCode.INVALID_FIELD, result.violation().code(), what);
        batchedRefusals++;
      } else if (want.outcome() == Outcome.REJECTED) {
        assertEquals(ErrorCode.INVALID_VERSION, result.violation().code(), what);
      }
    }
    assertTrue(batchedRefusals > 0, "the run included rows the database refuses");
    double statements = service.metric("trades_upsert_batch_size_count");
    double written = service.metric("trades_upsert_batch_size_sum");
    // A row the database refuses goes through a second statement, the one that counts its refusal.
    assertEquals(trades.size() + batchedRefusals, written, "every request went through a batch");
    assertTrue(
        statements < written / 4,
        "batches formed: " + statements + " statements for " + written + " requests");
    assertEquals(finalRows(trades), storedRows(prefix), "seed " + seed);
    long refused = oracle.stream().filter(e -> e.outcome() == Outcome.REJECTED).count();
    assertEquals(
        trades.size() - refused,
        counter("source", "rest") - processedBefore,
        "processed, counted once each");
    assertEquals(
        refused,
        counter("validation_failures", "rest") - failuresBefore,
        "refusals, counted once each");
  }

  private static long counter(String kind, String key) {
    var rows = service.sql("SELECT n FROM trade_counts WHERE kind = $1 AND key = $2", kind, key);
    return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
  }

  /** From one event-loop context, without waiting: the bus keeps their order, and batches form. */
  private static List<Future<Message<UpsertResult>>> sendAllAtOnce(List<Trade> trades) {
    Promise<List<Future<Message<UpsertResult>>>> sent = Promise.promise();
    service
        .vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              List<Future<Message<UpsertResult>>> replies = new ArrayList<>();
              DeliveryOptions options =
                  new DeliveryOptions().addHeader(Headers.CORRELATION_ID, "coalescing-test");
              for (Trade trade : trades) {
                replies.add(
                    service
                        .vertx
                        .eventBus()
                        .request(
                            Addresses.TRADES_UPSERT,
                            new UpsertTrade(trade, UpsertTrade.Source.REST),
                            options));
              }
              sent.complete(replies);
            });
    return Await.result(sent.future());
  }

  /** The version rule applied one request at a time; a refused row changes nothing. */
  private static List<Expected> sequentialOutcomes(List<Trade> trades) {
    Map<String, Integer> stored = new HashMap<>();
    List<Expected> outcomes = new ArrayList<>();
    for (Trade trade : trades) {
      Integer version = stored.get(trade.tradeId());
      if (trade.bookId().contains("\u0000")) {
        outcomes.add(new Expected(Outcome.REJECTED, true));
      } else if (version == null) {
        outcomes.add(new Expected(Outcome.CREATED, false));
        stored.put(trade.tradeId(), trade.version());
      } else if (trade.version() < version) {
        outcomes.add(new Expected(Outcome.REJECTED, false));
      } else {
        outcomes.add(
            new Expected(trade.version() == version ? Outcome.REPLACED : Outcome.UPDATED, false));
        stored.put(trade.tradeId(), trade.version());
      }
    }
    return outcomes;
  }

  /** trade id → "version/counter party" of the last revision each id kept, applied one by one. */
  private static Map<String, String> finalRows(List<Trade> trades) {
    Map<String, Trade> state = new HashMap<>();
    for (Trade trade : trades) {
      Trade current = state.get(trade.tradeId());
      if (!trade.bookId().contains("\u0000")
          && (current == null || trade.version() >= current.version())) {
        state.put(trade.tradeId(), trade);
      }
    }
    Map<String, String> rows = new HashMap<>();
    state.forEach((id, trade) -> rows.put(id, trade.version() + "/" + trade.counterPartyId()));
    return rows;
  }

  private static Map<String, String> storedRows(String prefix) {
    Map<String, String> rows = new HashMap<>();
    for (Row row :
        service.sql(
            "SELECT trade_id, version, counter_party_id FROM trades WHERE starts_with(trade_id,"
                + " $1)",
            prefix)) {
      rows.put(
          row.getString("trade_id"),
          row.getInteger("version") + "/" + row.getString("counter_party_id"));
    }
    return rows;
  }
}
