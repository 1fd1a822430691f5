package trades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.Addresses;
import contract.ConfigKeys;
import domain.Trade;
import domain.UpsertBatch;
import domain.UpsertResult;
import domain.UpsertResult.Outcome;
import domain.UpsertResults;
import domain.UpsertTrade;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import store.TradeStore;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * Issue 15: keyset paging under concurrent writes, maintained counters against a recount, the
 * bounds of offset paging, and the plans of the read statements.
 */
@Tag("integration")
class ReadPathsTest {
  private static final String TRADES = "/api/v1/trades";
  private static final String REPAIR = "/api/v1/admin/statistics/repair";
  private static final LocalDate TODAY = TestClock.today();

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "trades,api")
              .put(ConfigKeys.STATISTICS_CACHE_MS, 0)
              .put(ConfigKeys.PAGING_MAX_OFFSET, 1_000));

  @BeforeEach
  void clean() {
    service.truncate("trades", "job_runs"); // the truncate trigger empties trade_counters too
  }

  /** Stable rows present for the whole walk appear exactly once; no row appears twice. */
  @Test
  void cursorWalkSeesEveryStableRowOnceWhileRowsComeAndGo() {
    insertRows("S-", 1_500, "B1", TODAY.plusDays(30));
    AtomicBoolean walking = new AtomicBoolean(true);
    AtomicLong churned = new AtomicLong();
    Random random = new Random(42);
    // Inserts land before, inside and after the walk's position; deletes remove rows it has and has
    // not seen.
    List<Future<Void>> writers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      writers.add(
          whileTrue(
              walking,
              () -> {
                String id =
                    String.format(
                        "S-%05d-%d-%d", random.nextInt(1_500), writer, churned.incrementAndGet());
                return service
                    .http
                    .post(TRADES)
                    .sendJsonObject(Trades.json(id, 1, "B1", TODAY.plusDays(30)))
                    .compose(
                        created ->
                            random.nextBoolean()
                                ? service.http.delete(TRADES + "/" + id).send()
                                : Future.succeededFuture(created))
                    .mapEmpty();
              }));
    }
    List<String> seen = new ArrayList<>();
    for (String path : List.of(TRADES + "?size=7", TRADES + "/book/B1?size=11")) {
      seen.clear();
      String next = path;
      int pages = 0;
      while (next != null) {
        JsonObject page = ok(service.get(next));
        page.getJsonArray("items")
            .forEach(item -> seen.add(((JsonObject) item).getString("trade_id")));
        next = page.getString("next");
        pages++;
      }
      Set<String> distinct = new HashSet<>(seen);
      assertEquals(distinct.size(), seen.size(), path + ": no row twice");
      for (int i = 0; i < 1_500; i++) {
        assertTrue(
            distinct.contains(String.format("S-%05d", i)), path + ": stable row " + i + " seen");
      }
      List<String> sorted = new ArrayList<>(seen);
      Collections.sort(sorted);
      assertEquals(sorted, seen, path + ": in trade_id order");
      assertTrue(pages > 100, path + ": walked " + pages + " pages");
    }
    walking.set(false);
    Await.result(Future.all(writers));
    assertTrue(churned.get() > 20, "writes happened during the walks: " + churned.get());
  }

  @Test
  void deepOffsetsAndBadCursorsAreClear400s() {
    insertRows("D-", 30, "B1", TODAY.plusDays(30));
    assertEquals(
        200, service.get(TRADES + "?page=101&size=10").statusCode(), "offset 1000 is the maximum");
    JsonObject deep = error(service.get(TRADES + "?page=102&size=10"), "page");
    assertTrue(deep.getString("message").contains("cursor"), "points to the cursor: " + deep);
    error(service.get(TRADES + "/book/B1?page=100000"), "page");
    for (String bad : List.of("%21%21", "bm90LWEtY3Vyc29y", "_-_-", "x".repeat(600), "MTo")) {
      error(service.get(TRADES + "?cursor=" + bad), "cursor");
      error(service.get(TRADES + "/book/B1?cursor=" + bad), "cursor");
    }
    error(service.get("/records/aggregations?page=10000&size=200"), "page");
    error(service.get("/records/aggregations?cursor=bm90LWEtY3Vyc29y"), "cursor");
    String cursor = ok(service.get(TRADES + "?size=5")).getString("next_cursor");
    error(service.get(TRADES + "?page=2&cursor=" + cursor), "cursor");
    JsonObject after = ok(service.get(TRADES + "?size=5&cursor=" + cursor));
    assertEquals("D-00005", after.getJsonArray("items").getJsonObject(0).getString("trade_id"));
    assertEquals(30, after.getLong("total"));
  }

  /**
   * Creates, replaces, version bumps that move books, refusals (lower version, matured), deletes
   * and expiry, from REST and the bus at once: the maintained counters must equal a recount, and
   * the event counters the outcomes the writers were given.
   */
  @Test
  void countersEqualARecountAfterARandomizedConcurrentMix() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    List<Future<Void>> writers = new ArrayList<>();
    for (int client = 0; client < 4; client++) {
      writers.add(times(200, () -> restOperation(random, outcomes)));
    }
    for (int client = 0; client < 2; client++) {
      writers.add(times(25, () -> busRun(random, outcomes)));
    }
    writers.add(times(12, () -> maturedAndExpired(randomId(random), random)));
    Await.result(Future.all(writers), java.time.Duration.ofSeconds(120));
    Await.result(
        maturedAndExpired("MX-late", random)); // upserts may have revived every expired one

    JsonObject report = ok(Await.result(service.http.post(REPAIR).send()));
    assertEquals(0, report.getInteger("drifted"), "seed " + seed + ": " + report.encodePrettily());
    JsonObject events = report.getJsonObject("event_counters");
    assertEquals(
        count(outcomes, "rest:stored"),
        events.getJsonObject("source", new JsonObject()).getLong("rest", 0L));
    assertEquals(
        count(outcomes, "kafka:stored"),
        events.getJsonObject("source", new JsonObject()).getLong("kafka", 0L));
    JsonObject failures = events.getJsonObject("validation_failures", new JsonObject());
    assertEquals(count(outcomes, "rest:refused"), failures.getLong("rest", 0L), "seed " + seed);
    assertEquals(count(outcomes, "kafka:refused"), failures.getLong("kafka", 0L), "seed " + seed);
    assertTrue(
        count(outcomes, "rest:refused") > 0 && count(outcomes, "kafka:refused") > 0,
        "the mix had refusals");

    JsonObject stats = ok(service.get("/api/v1/statistics"));
    Row actual =
        service
            .sql("SELECT count(*), count(*) FILTER (WHERE expired) FROM trades")
            .iterator()
            .next();
    assertEquals(actual.getLong(0), stats.getLong("total_trades"));
    assertEquals(actual.getLong(1), stats.getLong("expired_trades"));
    assertTrue(actual.getLong(1) > 0, "the mix expired trades");
    JsonObject byBook = new JsonObject();
    service
        .sql("SELECT book_id, count(*) FROM trades GROUP BY book_id")
        .forEach(r -> byBook.put(r.getString(0), r.getLong(1)));
    assertEquals(byBook, stats.getJsonObject("trades_by_book"));
    assertEquals(
        count(outcomes, "rest:stored"), stats.getJsonObject("processed_by_source").getLong("rest"));
  }

  @Test
  void repairReportsAndFixesDrift() {
    insertRows("R-", 10, "B1", TODAY.plusDays(30));
    // drift as a hand-written statement would make it: in the folded counters and in a delta
    service.sql("INSERT INTO trade_counters (kind, key, n) VALUES ('book', 'B1', 5)");
    service.sql("INSERT INTO trade_counter_deltas (kind, key, n) VALUES ('book', 'GHOST', 3)");
    JsonObject first = ok(Await.result(service.http.post(REPAIR).send()));
    assertEquals(2, first.getInteger("drifted"), first::encodePrettily);
    assertEquals(
        new JsonObject().put("kind", "book").put("key", "B1").put("stored", 15L).put("actual", 10L),
        first.getJsonArray("drift").getJsonObject(0));
    assertEquals(0, ok(Await.result(service.http.post(REPAIR).send())).getInteger("drifted"));
    assertEquals(
        new JsonObject().put("B1", 10L),
        ok(service.get("/api/v1/statistics")).getJsonObject("trades_by_book"));
  }

  /**
   * Writers only append deltas; the fold moves them into trade_counters and changes no figure, and
   * the figures are exact before any fold.
   */
  @Test
  void foldingTheCounterDeltasChangesNoFigure() {
    TradeStore store = new TradeStore(service.pg);
    insertRows("F-", 7, "B2", TODAY.plusDays(30));
    service.sql("DELETE FROM trades WHERE trade_id = 'F-00001'");
    JsonObject before = Await.result(store.statistics(1000));
    assertEquals(6L, before.getLong("total_trades"), before::encodePrettily);
    Await.result(store.foldCounters());
    assertEquals(before, Await.result(store.statistics(1000)));
    assertEquals(
        0L,
        service.sql("SELECT count(*) FROM trade_counter_deltas").iterator().next().getLong(0),
        "every delta folded");
  }

  /**
   * At a size where the planner has a choice, every read is an index range scan, never a scan of
   * trades. A book holding a large share of the rows may be read along the primary key with a
   * filter (it meets a page's rows soon); a small one must be read through (book_id, trade_id).
   */
  @Test
  void readStatementsUseTheirIndexes() {
    service.sql(
        "INSERT INTO trades (trade_id, version, counter_party_id, book_id, maturity_date,"
            + " created_date, expired) SELECT 'P-' || lpad(g::text, 7, '0'), 1, 'CP-' || (g % 97),"
            + " CASE WHEN g % 500 = 0 THEN 'SMALL' ELSE 'B' || (g % 50) END, $1::date + (g % 400),"
            + " $2::date, g % 3 = 0 FROM generate_series(1, 50000) g",
        TODAY.minusDays(100), TODAY);
    service.sql("ANALYZE trades");
    service.sql("ANALYZE trade_counters");
    service.sql("ANALYZE trade_counter_deltas");
    assertPlan(
        TradeStore.LIST_AFTER.replace("$1", "'P-0025000'").replace("$2", "51"),
        "Index Scan using trades_pkey");
    assertPlan(
        TradeStore.LIST_BY_BOOK_AFTER
            .replace("$1", "'SMALL'")
            .replace("$2", "'P-0025000'")
            .replace("$3", "51"),
        "Index Cond: (((book_id)::text = 'SMALL'::text) AND ((trade_id)::text >");
    assertPlan(
        TradeStore.EXPIRE.replace("$1", "'" + TODAY.minusDays(90) + "'::date"),
        "idx_trades_active_maturity");
    // Totals and statistics read a few rows of the counters (one per book at most, plus the deltas
    // since the last fold), never trades.
    assertPlan(TradeStore.COUNT_BY_BOOK.replace("$1", "'B7'"), "on trade_counters");
    assertPlan(TradeStore.COUNTERS_BY_BOOK.replace("$1", "1000"), "on trade_counters");
  }

  /**
   * A records page reads the destinations after the cursor along (destination_id, time), not all
   * records.
   */
  @Test
  void recordsAggregationPageIsAnIndexRangeScan() {
    service.sql("DELETE FROM records WHERE record_id LIKE 'PLAN-%'");
    service.sql(
        "INSERT INTO records (record_id, time, source_id, destination_id, type, value, unit,"
            + " reference) SELECT 'PLAN-' || g, timestamptz '2024-01-01' + g * interval '1 minute',"
            + " 's', 'PLAN-D' || lpad((g % 2000)::text, 5, '0'), CASE WHEN g % 2 = 0 THEN"
            + " 'positive' ELSE 'negative' END, g % 100, 'SEK', 'r' FROM generate_series(1, 40000)"
            + " g");
    service.sql("ANALYZE records");
    try {
      String sql =
          store.RecordStore.AGGREGATIONS
              .replace("$1", "NULL::timestamptz")
              .replace("$2", "NULL::timestamptz")
              .replace("$3", "NULL::text")
              .replace("$4", "51")
              .replace("$5", "0")
              .replace("$6", "1000")
              .replace("$7", "'PLAN-D01500'");
      StringBuilder plan = new StringBuilder();
      service.sql("EXPLAIN " + sql).forEach(row -> plan.append(row.getString(0)).append('\n'));
      assertTrue(plan.toString().contains("records_destination_time"), plan::toString);
      assertTrue(!plan.toString().contains("Seq Scan on records"), plan::toString);
    } finally {
      service.sql("DELETE FROM records WHERE record_id LIKE 'PLAN-%'");
    }
  }

  private static void assertPlan(String sql, String expected) {
    StringBuilder plan = new StringBuilder();
    // EXPLAIN without ANALYZE: the plan, and the UPDATE of the expiry is not run.
    service.sql("EXPLAIN " + sql).forEach(row -> plan.append(row.getString(0)).append('\n'));
    assertTrue(plan.toString().contains(expected), sql + "\n" + plan);
    assertTrue(
        !plan.toString().contains("Seq Scan on trades "),
        "no scan of trades:\n" + sql + "\n" + plan);
  }

  // --- the randomized mix
  // --------------------------------------------------------------------------

  private static String randomId(Random random) {
    return "MX-" + random.nextInt(60);
  }

  private static Trade randomTrade(Random random) {
    LocalDate maturity =
        random.nextInt(15) == 0
            ? TODAY.minusDays(1 + random.nextInt(5))
            : TODAY.plusDays(random.nextInt(60));
    return new Trade(
        randomId(random),
        random.nextInt(6),
        "CP-" + random.nextInt(3),
        "B" + random.nextInt(5),
        maturity,
        TODAY,
        false);
  }

  /** An upsert (any of the outcomes) or, one time in six, a delete. */
  private static Future<Void> restOperation(Random random, Map<String, AtomicLong> outcomes) {
    if (random.nextInt(6) == 0) {
      return service.http.delete(TRADES + "/" + randomId(random)).send().mapEmpty();
    }
    Trade trade = randomTrade(random);
    JsonObject body =
        Trades.json(trade.tradeId(), trade.version(), trade.bookId(), trade.maturityDate());
    return service
        .http
        .post(TRADES)
        .sendJsonObject(body)
        .map(
            response -> {
              switch (response.statusCode()) {
                case 200, 201 -> tally(outcomes, "rest:stored");
                case 400 -> tally(outcomes, "rest:refused");
                default ->
                    throw new AssertionError(response.statusCode() + " " + response.bodyAsString());
              }
              return null;
            });
  }

  /** A consumer-style run of upserts over the bus, one request, source kafka. */
  private static Future<Void> busRun(Random random, Map<String, AtomicLong> outcomes) {
    List<UpsertTrade> upserts = new ArrayList<>();
    List<String> correlationIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      upserts.add(new UpsertTrade(randomTrade(random), UpsertTrade.Source.KAFKA));
      correlationIds.add("mix-" + i);
    }
    return service
        .vertx
        .eventBus()
        .<UpsertResults>request(Addresses.TRADES_UPSERT, new UpsertBatch(upserts, correlationIds))
        .map(
            reply -> {
              for (UpsertResult result : reply.body().results()) {
                tally(
                    outcomes,
                    result.outcome() == Outcome.REJECTED ? "kafka:refused" : "kafka:stored");
              }
              return null;
            });
  }

  /**
   * Matured trades written straight to the table (the API refuses them), then the expiry. Low
   * versions, so that later upserts revive some (an upsert clears the expired flag).
   */
  private static Future<Void> maturedAndExpired(String tradeId, Random random) {
    return service
        .pg
        .preparedQuery(
            "INSERT INTO trades (trade_id, version, counter_party_id, book_id, maturity_date,"
                + " created_date) VALUES ($1, $4, 'CP-1', $2, $3, $3) ON CONFLICT (trade_id) DO"
                + " NOTHING")
        .execute(
            io.vertx.sqlclient.Tuple.of(
                tradeId, "B" + random.nextInt(5), TODAY.minusDays(3), random.nextInt(3)))
        .compose(inserted -> service.http.post("/api/v1/expire-trades").send())
        .map(
            response -> {
              assertEquals(200, response.statusCode(), response.bodyAsString());
              return null;
            });
  }

  private static void tally(Map<String, AtomicLong> outcomes, String what) {
    outcomes.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  private static long count(Map<String, AtomicLong> outcomes, String what) {
    return outcomes.getOrDefault(what, new AtomicLong()).get();
  }

  // --- helpers
  // -----------------------------------------------------------------------------------------

  private static void insertRows(String prefix, int n, String book, LocalDate maturity) {
    service.sql(
        "INSERT INTO trades (trade_id, version, counter_party_id, book_id, maturity_date,"
            + " created_date) SELECT $1 || lpad(g::text, 5, '0'), 1, 'CP-1', $2, $3, $4 FROM"
            + " generate_series(0, $5 - 1) g",
        prefix,
        book,
        maturity,
        TODAY,
        n);
  }

  private static Future<Void> times(int n, Supplier<Future<Void>> operation) {
    return n == 0
        ? Future.succeededFuture()
        : operation.get().compose(v -> times(n - 1, operation));
  }

  private static Future<Void> whileTrue(AtomicBoolean go, Supplier<Future<Void>> operation) {
    return !go.get()
        ? Future.succeededFuture()
        : operation.get().compose(v -> whileTrue(go, operation));
  }

  private static JsonObject ok(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response::bodyAsString);
    return response.bodyAsJsonObject();
  }

  private static JsonObject error(HttpResponse<Buffer> response, String field) {
    assertEquals(400, response.statusCode(), response::bodyAsString);
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("INVALID_PARAMETER", body.getString("error"));
    assertEquals(field, body.getString("field"), body::encode);
    assertNull(body.getValue("items"));
    return body;
  }
}
