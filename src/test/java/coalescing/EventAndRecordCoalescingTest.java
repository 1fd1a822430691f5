package coalescing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import codec.Outcomes;
import contract.Addresses;
import contract.ConfigKeys;
import contract.Headers;
import domain.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * Group commit of raw events and records: thousands of messages in flight at once, with repeated
 * ids, repeated entities and rows the database refuses, must each get the outcome that applying
 * them one by one in arrival order gives, leave the same rows, and write the same outbox messages
 * in the same order.
 */
@Tag("integration")
class EventAndRecordCoalescingTest {
  private static final int MESSAGES = 3_000;

  /**
   * Rows the parsers accept but the database refuses (SQLSTATE 23514), as a rule only the database
   * knows (a trigger, a constraint added later) would: the batch fails, and its rows are re-applied
   * one by one.
   */
  private static final String REFUSED_MARK = "refused-by-db";

  private static final List<String> CONSTRAINTS =
      List.of(
          "ALTER TABLE records ADD CONSTRAINT coalescing_test CHECK (reference <> '"
              + REFUSED_MARK
              + "')",
          "ALTER TABLE market_prices ADD CONSTRAINT coalescing_test CHECK (currency <> 'XXX')");

  // no outbox role: the outbox rows stay, to be compared with the oracle; api serves /metrics
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          TestInfra::vertxWithMetrics,
          new JsonObject()
              .put(ConfigKeys.ROLES, "api,events,records")
              .put(ConfigKeys.EVENTS_GROUP_ID, "coalescing-idle")
              .put(ConfigKeys.RECORDS_GROUP_ID, "coalescing-idle"));

  @BeforeAll
  static void deploy() {
    CONSTRAINTS.forEach(service::sql);
  }

  @AfterAll
  static void close() {
    service.sql("ALTER TABLE records DROP CONSTRAINT coalescing_test");
    service.sql("ALTER TABLE market_prices DROP CONSTRAINT coalescing_test");
  }

  @Test
  void recordsGetTheOutcomesAggregatesAndNotificationsOfSequentialApplication() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String run = "RC" + seed % 1_000_000 + "-";
    List<JsonObject> records = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      boolean bad = random.nextInt(100) == 0;
      records.add(
          new JsonObject()
              .put(
                  "recordId",
                  bad
                      ? run + "bad-" + i
                      : run + random.nextInt(MESSAGES / 2)) // about a third repeat
              .put("time", "2025-08-01T10:00:00Z")
              .put("sourceId", "S1")
              .put("destinationId", run + "D" + random.nextInt(5))
              .put("reference", bad ? REFUSED_MARK : "R" + random.nextInt(3))
              .put("type", random.nextBoolean() ? "positive" : "negative")
              .put("unit", "EUR")
              .put("value", Integer.toString(random.nextInt(2_000))));
    }
    RecordOracle oracle = new RecordOracle(records);
    String correlationId = "coalescing-" + run;

    List<Future<Message<JsonObject>>> replies =
        sendAllAtOnce(
            Addresses.RECORDS_INGEST,
            records.stream()
                .map(r -> new JsonObject().put("correlation_id", correlationId).put("payload", r))
                .toList());

    for (int i = 0; i < records.size(); i++) {
      String what = "record " + i + " " + records.get(i).getString("recordId") + ", seed " + seed;
      assertStatus(oracle.statuses.get(i), replies.get(i), what);
    }
    assertTrue(
        oracle.statuses.contains(Outcomes.REFUSED), "the run included rows the database refuses");
    assertEquals(oracle.totals, storedAggregates(run), "aggregates, seed " + seed);
    assertEquals(
        oracle.notifications,
        storedNotifications(correlationId),
        "notification running totals, seed " + seed);
    assertBatched("records_ingest_batch_size");
  }

  @Test
  void eventsGetTheOutcomesRowsAndCompletionsOfSequentialApplication() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String run = "EC" + seed % 1_000_000 + "-";
    List<JsonObject> messages = new ArrayList<>();
    List<JsonObject> prices = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      boolean bad = random.nextInt(100) == 0;
      JsonObject price =
          new JsonObject()
              .put("security_id", run + "S" + random.nextInt(20))
              .put("price_date", "2025-08-01")
              .put("price", i + ".5")
              .put("currency", bad ? "XXX" : "USD");
      prices.add(price);
      String eventId = bad ? "bad-" + i : Integer.toString(random.nextInt(MESSAGES / 2));
      messages.add(
          new JsonObject()
              .put("topic", "market_prices")
              .put("event_id", run + eventId)
              .put("correlation_id", "coalescing-" + run)
              .put("payload", price));
    }
    EventOracle oracle = new EventOracle(messages);

    List<Future<Message<JsonObject>>> replies = sendAllAtOnce(Addresses.EVENTS_PERSIST, messages);

    for (int i = 0; i < messages.size(); i++) {
      assertStatus(oracle.statuses.get(i), replies.get(i), "event " + i + ", seed " + seed);
    }
    assertEquals(oracle.lastPrice, storedPrices(run), "last price per security, seed " + seed);
    assertEquals(
        oracle.completionOrder,
        storedCompletions("coalescing-" + run),
        "completion events in order, seed " + seed);
    assertBatched("events_persist_batch_size");
  }

  private static void assertStatus(
      String expected, Future<Message<JsonObject>> reply, String what) {
    assertTrue(
        reply.succeeded(),
        () -> what + ": a refusal is an outcome, not a failure: " + reply.cause());
    JsonObject body = reply.result().body();
    assertEquals(expected, body.getString("status"), what);
    if (Outcomes.REFUSED.equals(expected)) {
      assertEquals(ErrorCode.INVALID_FIELD, Outcomes.refusal(body).code(), what);
    }
  }

  private static void assertBatched(String meter) {
    double statements = service.metric(meter + "_count");
    double written = service.metric(meter + "_sum");
    assertTrue(
        written >= MESSAGES,
        meter + ": every message went through a batch, but " + written + " did");
    assertTrue(
        statements < written / 4,
        meter + ": batches formed: " + statements + " transactions for " + written);
  }

  /** Records applied one at a time: ingested, duplicate, or refused (no effect, id not taken). */
  private static final class RecordOracle {
    final List<String> statuses = new ArrayList<>();
    final Map<String, BigDecimal> totals = new HashMap<>();
    final List<String> notifications = new ArrayList<>();

    RecordOracle(List<JsonObject> records) {
      Set<String> stored = new HashSet<>();
      Map<String, Long> counts = new HashMap<>();
      for (JsonObject r : records) {
        if (r.getString("reference").equals(REFUSED_MARK)) {
          statuses.add(Outcomes.REFUSED);
        } else if (!stored.add(r.getString("recordId"))) {
          statuses.add("duplicate");
        } else {
          statuses.add("ingested");
          String key = r.getString("destinationId") + "/" + r.getString("reference");
          BigDecimal value = new BigDecimal(r.getString("value"));
          BigDecimal total =
              totals
                  .getOrDefault(key, BigDecimal.ZERO)
                  .add(r.getString("type").equals("negative") ? value.negate() : value);
          totals.put(key, total.stripTrailingZeros());
          long count = counts.merge(key, 1L, Long::sum);
          notifications.add(
              r.getString("recordId")
                  + "="
                  + key
                  + ":"
                  + total.stripTrailingZeros().toPlainString()
                  + "#"
                  + count);
        }
      }
    }
  }

  /**
   * Events applied one at a time: persisted, duplicate (id seen), or refused (no effect, id not
   * taken).
   */
  private static final class EventOracle {
    final List<String> statuses = new ArrayList<>();
    final Map<String, BigDecimal> lastPrice = new HashMap<>();
    final List<String> completionOrder = new ArrayList<>();

    EventOracle(List<JsonObject> messages) {
      Set<String> processed = new HashSet<>();
      for (JsonObject m : messages) {
        JsonObject price = m.getJsonObject("payload");
        if (price.getString("currency").equals("XXX")) {
          statuses.add(Outcomes.REFUSED);
        } else if (!processed.add(m.getString("event_id"))) {
          statuses.add("duplicate");
        } else {
          statuses.add("persisted");
          lastPrice.put(price.getString("security_id"), new BigDecimal(price.getString("price")));
          completionOrder.add(m.getString("event_id"));
        }
      }
    }
  }

  /** From one event-loop context, without waiting: the bus keeps their order, and batches form. */
  private static List<Future<Message<JsonObject>>> sendAllAtOnce(
      String address, List<JsonObject> bodies) {
    Promise<List<Future<Message<JsonObject>>>> sent = Promise.promise();
    service
        .vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              List<Future<Message<JsonObject>>> replies = new ArrayList<>();
              DeliveryOptions options =
                  new DeliveryOptions().addHeader(Headers.CORRELATION_ID, "coalescing-test");
              for (JsonObject body : bodies) {
                replies.add(service.vertx.eventBus().request(address, body, options));
              }
              sent.complete(replies);
            });
    List<Future<Message<JsonObject>>> replies = Await.result(sent.future());
    Await.result(Future.join(replies).otherwiseEmpty());
    return replies;
  }

  private static Map<String, BigDecimal> storedAggregates(String run) {
    Map<String, BigDecimal> totals = new HashMap<>();
    for (Row row :
        service.sql(
            "SELECT destination_id, reference, total FROM record_aggregates WHERE destination_id"
                + " LIKE $1",
            run + "%")) {
      totals.put(
          row.getString(0) + "/" + row.getString(1), row.getBigDecimal(2).stripTrailingZeros());
    }
    return totals;
  }

  private static List<String> storedNotifications(String correlationId) {
    List<String> notifications = new ArrayList<>();
    for (Row row :
        service.sql(
            "SELECT payload FROM outbox WHERE topic = 'notifications' AND correlation_id = $1 ORDER"
                + " BY id",
            correlationId)) {
      JsonObject payload = new JsonObject(row.getValue(0).toString());
      JsonObject summary = payload.getJsonObject("summary");
      notifications.add(
          payload.getJsonObject("record").getString("recordId")
              + "="
              + summary.getString("destinationId")
              + "/"
              + summary.getString("reference")
              + ":"
              + new BigDecimal(summary.getValue("total").toString())
                  .stripTrailingZeros()
                  .toPlainString()
              + "#"
              + summary.getLong("recordCount"));
    }
    return notifications;
  }

  private static Map<String, BigDecimal> storedPrices(String run) {
    Map<String, BigDecimal> prices = new HashMap<>();
    for (Row row :
        service.sql(
            "SELECT security_id, price FROM market_prices WHERE security_id LIKE $1", run + "%")) {
      prices.put(row.getString(0), row.getBigDecimal(1).stripTrailingZeros());
    }
    return prices;
  }

  private static List<String> storedCompletions(String correlationId) {
    List<String> ids = new ArrayList<>();
    for (Row row :
        service.sql(
            "SELECT payload FROM outbox WHERE topic = 'market_prices_persisted' "
                + "AND correlation_id = $1 ORDER BY id",
            correlationId)) {
      ids.add(new JsonObject(row.getValue(0).toString()).getString("event_id"));
    }
    return ids;
  }
}
