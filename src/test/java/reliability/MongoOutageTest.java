package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.ConfigKeys;
import app.Main;
import audit.Audit;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;

/**
 * Scenario 6: MongoDB is unavailable while trades are written. Trade writes keep working at their usual
 * speed; audit entries wait in the writer's bounded buffer, and past the bound are dropped and counted in
 * {@code audit_dropped_total}: once MongoDB is back, entries written + entries dropped = entries produced.
 */
class MongoOutageTest {
  private static final Duration CONVERGE = Duration.ofSeconds(90);
  private static final int BOUND = 200;
  private static final int BATCH = 50;
  private static final int LANES = 16;
  private static ServiceUnderTest service;
  private static MongoClient mongo;

  @BeforeAll
  static void deploy() {
    // the Vert.x the service really runs in, with metrics, so the test reads the drops where an operator would
    service = ServiceUnderTest.start(Main.vertxWithMetrics(), new JsonObject().put(ConfigKeys.ROLES, "audit,trades,api")
        .put(ConfigKeys.AUDIT_BUFFER_MAX, BOUND).put(ConfigKeys.AUDIT_BATCH_SIZE, BATCH)
        .put(ConfigKeys.AUDIT_FLUSH_INTERVAL_MS, 100));
    mongo = MongoClient.create(service.vertx, new JsonObject()
        .put("connection_string", service.config.getString(ConfigKeys.MONGO_CONNECTION_STRING))
        .put("db_name", service.config.getString(ConfigKeys.MONGO_DATABASE)));
  }

  @AfterAll
  static void close() {
    TestInfra.get().startMongo(); // in case the test failed while it was down
    mongo.close();
    service.close();
  }

  @Test
  void tradesKeepFlowingAndEveryAuditEntryIsWrittenOrCountedAsDropped() {
    long seed = Seeds.seed();
    String prefix = "MGO" + seed % 100_000 + "-";
    int trades = Scale.pick(1_000, 10_000);
    double droppedBefore = metric("audit_dropped_total");

    TestInfra.get().stopMongo();
    AtomicLong slowestMs = new AtomicLong();
    int created = postAll(prefix, trades, slowestMs);
    double buffered = metric("audit_buffered");
    TestInfra.get().startMongo();
    long restarted = System.nanoTime();

    long dropped = Math.round(metric("audit_dropped_total") - droppedBefore);
    long written = Await.until("every buffered audit entry written", CONVERGE,
        () -> mongo.count(Audit.AUDIT_LOGS, new JsonObject().put("trade_id", new JsonObject().put("$regex", "^" + prefix)))
            .otherwise(-1L), n -> n + dropped == trades);
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
    Await.until("the audit buffer drained", CONVERGE, () -> metric("audit_buffered") == 0);
    int stored = service.sql("SELECT count(*) FROM trades WHERE starts_with(trade_id, $1)", prefix).iterator().next()
        .getInteger(0);

    Figures.of("MongoDB unavailable").sent(trades).stored(stored).lost(trades - stored).recovery(recovery)
        .note(String.format("audit: %,d written after the outage + %,d dropped and counted = %,d produced; buffer bound "
            + "%d, %.0f buffered when Mongo came back; slowest trade POST %d ms; seed %d", written, dropped,
            written + dropped, BOUND, buffered, slowestMs.get(), seed))
        .report();
    assertEquals(trades, created);
    assertEquals(trades, stored);
    assertEquals(trades, written + dropped, "an audit entry neither written nor counted as dropped");
    assertTrue(written <= BOUND, "the writer held more than its bound: " + written);
  }

  /** POSTs the trades in bounded lanes; returns how many got 201, and records the slowest answer. */
  private static int postAll(String prefix, int count, AtomicLong slowestMs) {
    AtomicInteger created = new AtomicInteger();
    List<Integer> ids = java.util.stream.IntStream.range(0, count).boxed().toList();
    Await.result(Lanes.run(ids, LANES, id -> {
      long started = System.nanoTime();
      return service.postJsonAsync("/api/v1/trades", Trades.json(prefix + id, 1, "B1", TestClock.today().plusDays(30)))
          .onSuccess(response -> {
            slowestMs.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
            if (response.statusCode() == 201) {
              created.incrementAndGet();
            }
          });
    }), CONVERGE);
    return created.get();
  }

  /** A value from the service's own Prometheus endpoint. */
  private static double metric(String name) {
    String scrape = service.get("/metrics").bodyAsString();
    Matcher line = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(scrape);
    if (!line.find()) {
      throw new AssertionError(name + " not in /metrics");
    }
    return Double.parseDouble(line.group(2));
  }
}
