package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import audit.Audit;
import contract.Addresses;
import contract.ConfigKeys;
import contract.Headers;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.Lanes;
import support.Seeds;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;

/**
 * Scenario 6: MongoDB is unavailable while trades are written. Trade writes keep working, as fast
 * as with MongoDB up; audit entries wait in the writer's bounded buffer, and past the bound are
 * dropped and counted in {@code audit_dropped_total}, read where an operator reads it: once MongoDB
 * is back, entries written + entries dropped = entries produced, exactly.
 */
@Tag("fault")
class MongoOutageTest {
  private static final Duration CONVERGE = Duration.ofSeconds(90);
  private static final int BOUND = 200;
  private static final int BATCH = 50;
  private static final int LANES = 16;

  /**
   * The service gives up on an unreachable MongoDB after 2 s: a trade that waited for it would take
   * that long.
   */
  private static final long TRADE_P99_LIMIT_MS = 2_000;

  // the Vert.x the service really runs in, with metrics, so the test reads the drops where an
  // operator would
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          TestInfra::vertxWithMetrics,
          new JsonObject()
              .put(ConfigKeys.ROLES, "audit,trades,api")
              .put(ConfigKeys.AUDIT_BUFFER_MAX, BOUND)
              .put(ConfigKeys.AUDIT_BATCH_SIZE, BATCH)
              .put(ConfigKeys.AUDIT_FLUSH_INTERVAL_MS, 100));

  private static MongoClient mongo;

  @BeforeAll
  static void deploy() {
    mongo =
        MongoClient.create(
            service.vertx,
            new JsonObject()
                .put(
                    "connection_string",
                    service.config.getString(ConfigKeys.MONGO_CONNECTION_STRING))
                .put("db_name", service.config.getString(ConfigKeys.MONGO_DATABASE)));
  }

  @AfterAll
  static void close() {
    TestInfra.get().startMongo(); // in case the test failed while it was down
    mongo.close();
  }

  @Test
  void tradesKeepFlowingAndEveryAuditEntryIsWrittenOrCountedAsDropped() {
    long seed = Seeds.seed();
    String prefix = "MGO" + seed % 100_000 + "-";
    int trades = Scale.pick(1_000, 10_000);
    postAll(
        prefix + "WARM",
        trades / 5); // a warm trade path, so that the outage's latency compares fairly
    awaitAuditDrained();
    double droppedBefore = service.metric("audit_dropped_total");

    TestInfra.get().stopMongo();
    Posted outage = postAll(prefix, trades);
    double buffered = service.metric("audit_buffered");
    TestInfra.get().startMongo();
    long restarted = System.nanoTime();
    awaitAuditDrained();
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);

    long dropped = Math.round(service.metric("audit_dropped_total") - droppedBefore);
    long written =
        Await.result(
            mongo.count(
                Audit.AUDIT_LOGS,
                new JsonObject()
                    .put("trade_id", new JsonObject().put("$regex", "^" + prefix + "[0-9]"))));
    Posted baseline =
        postAll(
            prefix + "UP", trades / 5); // the same service warmed up, MongoDB up: to compare with
    int stored =
        service
            .sql("SELECT count(*) FROM trades WHERE trade_id ~ $1", "^" + prefix + "[0-9]")
            .iterator()
            .next()
            .getInteger(0);
    Figures.of("MongoDB unavailable")
        .sent(trades)
        .stored(stored)
        .lost(trades - stored)
        .deadLettered(-1)
        .recovery(recovery)
        .note(
            String.format(
                "audit: written %,d, dropped %,d (counted in audit_dropped_total), bound %d; %.0f"
                    + " buffered when Mongo came back; trade POSTs with Mongo down %s, up %s; seed"
                    + " %d",
                written, dropped, BOUND, buffered, outage.latency(), baseline.latency(), seed))
        .report();
    assertEquals(trades, outage.created(), "trades answered 201 while MongoDB was down");
    assertEquals(trades, stored);
    assertEquals(
        trades, written + dropped, "an audit entry neither written nor counted as dropped");
    assertTrue(
        dropped >= trades - BOUND, "the writer held more than its bound: " + dropped + " dropped");
    assertTrue(
        outage.percentile(99) < TRADE_P99_LIMIT_MS,
        "trade writes waited for MongoDB: " + outage.latency());
  }

  /**
   * A batch retried after a write whose answer was lost meets the documents it stored: written
   * once, not stuck.
   */
  @Test
  void aDocumentStoredByAnEarlierAttemptIsNotStoredTwice() {
    String tradeId = "MGO-DUP-" + Seeds.seed();
    JsonObject document =
        new JsonObject()
            .put("_id", new JsonObject().put("$oid", new ObjectId().toHexString()))
            .put("trade_id", tradeId)
            .put("action", "attempt");
    appendAudit(document);
    Await.until("the first attempt stored", CONVERGE, () -> auditCount(tradeId) == 1);
    appendAudit(document); // the retry
    appendAudit(new JsonObject().put("trade_id", tradeId).put("action", "next"));
    Await.until(
        "the writer moves on to the next document", CONVERGE, () -> auditCount(tradeId) == 2);
    awaitAuditDrained();
    assertEquals(2, auditCount(tradeId));
  }

  private static void appendAudit(JsonObject document) {
    service
        .vertx
        .eventBus()
        .send(
            Addresses.AUDIT_APPEND,
            document.copy(),
            new DeliveryOptions().addHeader(Headers.AUDIT_COLLECTION, Audit.AUDIT_LOGS));
  }

  private static long auditCount(String tradeId) {
    return Await.result(mongo.count(Audit.AUDIT_LOGS, new JsonObject().put("trade_id", tradeId)));
  }

  private static void awaitAuditDrained() {
    Await.until("the audit buffer drained", CONVERGE, () -> service.metric("audit_buffered") == 0);
  }

  /**
   * POSTs {@code count} new trades in bounded lanes; how many got 201, and how long each answer
   * took.
   */
  private static Posted postAll(String prefix, int count) {
    AtomicInteger created = new AtomicInteger();
    ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
    List<Integer> ids = IntStream.range(0, count).boxed().toList();
    Await.result(
        Lanes.run(
            ids,
            LANES,
            id -> {
              long started = System.nanoTime();
              return service
                  .postJsonAsync(
                      "/api/v1/trades",
                      Trades.json(prefix + id, 1, "B1", TestClock.today().plusDays(30)))
                  .onSuccess(
                      response -> {
                        millis.add((System.nanoTime() - started) / 1_000_000);
                        if (response.statusCode() == 201) {
                          created.incrementAndGet();
                        }
                      });
            }),
        CONVERGE);
    return new Posted(created.get(), millis.stream().mapToLong(Long::longValue).sorted().toArray());
  }

  /** One batch of POSTs: how many were created, and the sorted answer times in ms. */
  private record Posted(int created, long[] sortedMillis) {
    long percentile(int p) {
      return sortedMillis[Math.max(0, (int) Math.ceil(p / 100.0 * sortedMillis.length) - 1)];
    }

    String latency() {
      return String.format(
          "p50 %d ms, p99 %d ms, max %d ms",
          percentile(50), percentile(99), sortedMillis[sortedMillis.length - 1]);
    }
  }
}
