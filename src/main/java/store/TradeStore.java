package store;

import domain.Trade;
import domain.TradeRules;
import domain.UpsertResult;
import domain.UpsertResult.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

/** All SQL of the trades table. */
public final class TradeStore {
  /**
   * The version rule, applied atomically: the row lock taken by ON CONFLICT serialises concurrent
   * writers of one trade_id, and the WHERE guard refuses a lower version against the row as
   * committed at that moment, so no read-then-write race exists. {@code prior} (a statement
   * snapshot) only labels the outcome REPLACED or UPDATED, and names the stored version in
   * rejections. Public for the benchmark, whose pgbench baseline runs this same statement one row
   * per transaction.
   *
   * <p>{@code counted} appends the batch's event counts in the same statement: each written row to
   * its source, each refused one (and each refusal decided before the statement, {@code $8}) to the
   * source's validation failures. The counts of trades by state and by book follow from the row
   * changes (the triggers of V5__trade_counters.sql). Both only append to trade_counter_deltas
   * (V23__counter_deltas.sql): no writer waits on a counter row another writer holds.
   */
  public static final String UPSERT =
      """
      WITH incoming AS (
        SELECT * FROM unnest($1::varchar[], $2::int[], $3::varchar[], $4::varchar[], $5::date[], $6::date[],
                             $7::varchar[])
          AS i(trade_id, version, counter_party_id, book_id, maturity_date, created_date, source)
      ), prior AS (
        SELECT t.trade_id, t.version FROM trades t JOIN incoming USING (trade_id)
      ), written AS (
        INSERT INTO trades AS t (trade_id, version, counter_party_id, book_id, maturity_date, created_date, expired, last_updated)
        SELECT trade_id, version, counter_party_id, book_id, maturity_date, created_date, false, now() FROM incoming
        ON CONFLICT (trade_id) DO UPDATE SET
          version = EXCLUDED.version, counter_party_id = EXCLUDED.counter_party_id, book_id = EXCLUDED.book_id,
          maturity_date = EXCLUDED.maturity_date, created_date = EXCLUDED.created_date,
          expired = false, last_updated = now()
        WHERE t.version <= EXCLUDED.version
        RETURNING t.trade_id, (t.xmax = 0) AS inserted
      ), counted AS (
        INSERT INTO trade_counter_deltas (kind, key, n)
        SELECT kind, key, count(*) FROM (
          SELECT CASE WHEN written.trade_id IS NULL THEN 'validation_failures' ELSE 'source' END AS kind,
                 incoming.source AS key
          FROM incoming LEFT JOIN written USING (trade_id)
          UNION ALL SELECT 'validation_failures', refused FROM unnest($8::varchar[]) AS refused
        ) events GROUP BY kind, key
      )
      SELECT incoming.trade_id, written.trade_id IS NOT NULL AS written,
             coalesce(written.inserted, false) AS inserted, prior.version AS prior_version
      FROM incoming LEFT JOIN written USING (trade_id) LEFT JOIN prior USING (trade_id)
      """;

  private static final String COLUMNS =
      "trade_id, version, counter_party_id, book_id, maturity_date, created_date, expired";
  private static final String FIND = "SELECT " + COLUMNS + " FROM trades WHERE trade_id = $1";
  // Totals are maintained counters (trade_counts: the folded ones plus the deltas since), never a
  // count of the table.
  private static final String COUNT =
      "SELECT coalesce(sum(n), 0) FROM trade_counts WHERE kind = 'state'";
  public static final String COUNT_BY_BOOK =
      "SELECT coalesce(sum(n), 0) FROM trade_counts WHERE kind = 'book' AND key = $1";
  // Each page carries its total in a column (an InitPlan, evaluated once): one statement, one round
  // trip.
  private static final String PAGE_COLUMNS = COLUMNS + ", (" + COUNT + ") AS total";
  private static final String BOOK_PAGE_COLUMNS = COLUMNS + ", (" + COUNT_BY_BOOK + ") AS total";
  // Keyset pages: one range scan of the primary key, or of (book_id, trade_id), however deep. The
  // read
  // statements are public for the test that holds their plans to the indexes
  // (trades.ReadPathsTest).
  public static final String LIST_AFTER =
      "SELECT " + PAGE_COLUMNS + " FROM trades WHERE trade_id > $1 ORDER BY trade_id LIMIT $2";
  public static final String LIST_BY_BOOK_AFTER =
      "SELECT "
          + BOOK_PAGE_COLUMNS
          + " FROM trades WHERE book_id = $1 AND trade_id > $2 ORDER BY trade_id LIMIT $3";
  // Offset pages, kept for page/size clients; the API bounds the offset (PAGING_MAX_OFFSET).
  private static final String LIST =
      "SELECT " + PAGE_COLUMNS + " FROM trades ORDER BY trade_id LIMIT $1 OFFSET $2";
  private static final String LIST_BY_BOOK =
      "SELECT "
          + BOOK_PAGE_COLUMNS
          + " FROM trades WHERE book_id = $1 ORDER BY trade_id LIMIT $2 OFFSET $3";
  private static final String DELETE =
      "DELETE FROM trades WHERE trade_id = $1 RETURNING " + COLUMNS;

  /**
   * Claims a run of a cluster-wide job: succeeds for one caller per {@code $2} seconds, whatever
   * the number of JVMs whose timers fire (the ON CONFLICT row lock serialises concurrent claims).
   */
  private static final String CLAIM_JOB =
      """
      INSERT INTO job_runs (job, last_run) VALUES ($1, now())
      ON CONFLICT (job) DO UPDATE SET last_run = now()
      WHERE job_runs.last_run <= now() - make_interval(secs => $2)
      RETURNING job
      """;

  public static final String EXPIRE =
      """
      UPDATE trades SET expired = true, last_updated = now() WHERE maturity_date < $1 AND NOT expired
      """;
  private static final String RECORD_JOB_RESULT =
      "UPDATE job_runs SET last_count = $2 WHERE job = $1";
  private static final String COUNTERS =
      "SELECT kind, key, n FROM trade_counts WHERE kind <> 'book'";
  public static final String COUNTERS_BY_BOOK =
      "SELECT kind, key, n FROM trade_counts WHERE kind = 'book' AND n <> 0 ORDER BY key LIMIT $1";

  /**
   * Moves the appended deltas into trade_counters, which nothing else writes. Safe when two nodes
   * fold at once: a delta row is deleted, and so added, by one of them only.
   */
  private static final String FOLD_COUNTERS =
      """
      WITH moved AS (DELETE FROM trade_counter_deltas RETURNING kind, key, n)
      INSERT INTO trade_counters AS c (kind, key, n)
      SELECT kind, key, sum(n) FROM moved GROUP BY kind, key ORDER BY kind, key
      ON CONFLICT (kind, key) DO UPDATE SET n = c.n + EXCLUDED.n
      """;

  /**
   * Everything GET /statistics shows, in one round trip: the counters, the books (bounded), the
   * last expiry.
   */
  private static final String STATISTICS =
      "SELECT kind, key, n, NULL::timestamptz AS at FROM ("
          + COUNTERS
          + ") c UNION ALL SELECT kind, key, n, NULL FROM ("
          + COUNTERS_BY_BOOK
          + ") b UNION ALL SELECT 'last_expiry', job, last_count, last_run FROM job_runs WHERE job"
          + " = $2";

  /**
   * The counters that follow from the rows, recounted and compared with the stored ones, and the
   * drifted ones set right by a correcting delta, in one statement. The caller holds a SHARE lock
   * on trades, so no writer moves a counter between the recount and the fix.
   */
  private static final String REPAIR =
      """
      WITH actual AS (
        SELECT 'state'::varchar AS kind, (CASE WHEN expired THEN 'expired' ELSE 'active' END)::varchar AS key,
               count(*) AS n
        FROM trades GROUP BY expired
        UNION ALL SELECT 'book', book_id, count(*) FROM trades GROUP BY book_id
      ), stored AS (
        SELECT kind, key, n FROM trade_counts WHERE kind IN ('state', 'book') AND n <> 0
      ), drift AS (
        SELECT coalesce(a.kind, s.kind) AS kind, coalesce(a.key, s.key) AS key,
               coalesce(s.n, 0) AS stored, coalesce(a.n, 0) AS actual
        FROM actual a FULL JOIN stored s ON a.kind = s.kind AND a.key = s.key
        WHERE coalesce(s.n, 0) <> coalesce(a.n, 0)
      ), fixed AS (
        INSERT INTO trade_counter_deltas (kind, key, n) SELECT kind, key, actual - stored FROM drift
      )
      SELECT kind, key, stored, actual FROM drift ORDER BY kind, key
      """;

  private static final String LOCK_FOR_REPAIR = "LOCK TABLE trades IN SHARE MODE";
  public static final String EXPIRY_JOB = "trade-expiry";

  private final Pool pool;

  public TradeStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Applies the version rule to a batch in one statement and round trip, and counts it. Trade ids
   * within one batch must be distinct (one row cannot be written twice by one statement). Maturity
   * is checked before.
   *
   * @param sources each trade's source (its wire name), counted as processed or as a validation
   *     failure
   * @param refusedSources the sources of refusals decided before the statement, counted as
   *     validation failures
   */
  public Future<List<UpsertResult>> upsertAll(
      List<Trade> trades, List<String> sources, List<String> refusedSources) {
    return pool.preparedQuery(UPSERT)
        .execute(upsertArguments(trades, sources, refusedSources))
        .map(rows -> results(trades, rows));
  }

  public Future<Optional<Trade>> find(String tradeId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(tradeId)).map(TradeStore::first);
  }

  /**
   * Up to {@code limit} trades after {@code afterTradeId} (null: from the start), in trade_id
   * order.
   */
  public Future<Page<Trade>> listAfter(String afterTradeId, int limit) {
    return page(
        afterTradeId == null
            ? pool.preparedQuery(LIST).execute(Tuple.of(limit + 1, 0L))
            : pool.preparedQuery(LIST_AFTER).execute(Tuple.of(afterTradeId, limit + 1)),
        limit,
        this::total);
  }

  public Future<Page<Trade>> list(int limit, long offset) {
    return page(pool.preparedQuery(LIST).execute(Tuple.of(limit + 1, offset)), limit, this::total);
  }

  public Future<Page<Trade>> listByBookAfter(String bookId, String afterTradeId, int limit) {
    return page(
        afterTradeId == null
            ? pool.preparedQuery(LIST_BY_BOOK).execute(Tuple.of(bookId, limit + 1, 0L))
            : pool.preparedQuery(LIST_BY_BOOK_AFTER)
                .execute(Tuple.of(bookId, afterTradeId, limit + 1)),
        limit,
        () -> bookTotal(bookId));
  }

  public Future<Page<Trade>> listByBook(String bookId, int limit, long offset) {
    return page(
        pool.preparedQuery(LIST_BY_BOOK).execute(Tuple.of(bookId, limit + 1, offset)),
        limit,
        () -> bookTotal(bookId));
  }

  private Future<Long> total() {
    return pool.preparedQuery(COUNT).execute().map(TradeStore::count);
  }

  private Future<Long> bookTotal(String bookId) {
    return pool.preparedQuery(COUNT_BY_BOOK).execute(Tuple.of(bookId)).map(TradeStore::count);
  }

  /**
   * The query asked for one row more than a page: whether it came says if there is a next page. Its
   * rows carry the total; an empty page (past the end) has none to carry it, so only then is it
   * read apart.
   */
  private static Future<Page<Trade>> page(
      Future<RowSet<Row>> query, int limit, Supplier<Future<Long>> totalApart) {
    return query.compose(
        rows -> {
          List<Trade> items = trades(rows);
          boolean more = items.size() > limit;
          List<Trade> page = more ? items.subList(0, limit) : items;
          return (rows.size() == 0
                  ? totalApart.get()
                  : Future.succeededFuture(rows.iterator().next().getLong("total")))
              .map(total -> new Page<>(page, total, more));
        });
  }

  /**
   * @return the deleted trade, empty when there was none
   */
  public Future<Optional<Trade>> delete(String tradeId) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(tradeId)).map(TradeStore::first);
  }

  /**
   * Folds the counter deltas appended since the last fold into trade_counters, so that reads sum a
   * few rows.
   *
   * @return how many counters the fold changed
   */
  public Future<Integer> foldCounters() {
    return pool.query(FOLD_COUNTERS).execute().map(RowSet::rowCount);
  }

  /**
   * Flags trades that matured before {@code today}, if this caller wins the claim of the tick.
   *
   * @param minSecondsBetweenRuns 0 to run unconditionally (manual trigger)
   * @return the number of trades flagged, or empty when another node already ran this tick
   */
  public Future<Optional<Long>> expireMatured(LocalDate today, double minSecondsBetweenRuns) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(CLAIM_JOB)
                .execute(Tuple.of(EXPIRY_JOB, minSecondsBetweenRuns))
                .compose(
                    claim ->
                        claim.size() == 0
                            ? Future.succeededFuture(Optional.empty())
                            : tx.preparedQuery(EXPIRE)
                                .execute(Tuple.of(today))
                                .compose(
                                    expired ->
                                        tx.preparedQuery(RECORD_JOB_RESULT)
                                            .execute(
                                                Tuple.of(EXPIRY_JOB, (long) expired.rowCount()))
                                            .map(done -> Optional.of((long) expired.rowCount())))));
  }

  /**
   * Counts for GET /statistics, read from the maintained counters (a handful of rows, whatever the
   * size of trades): totals, per book (bounded), per source, validation failures, and the last
   * expiry run.
   */
  public Future<JsonObject> statistics(int maxBooks) {
    return pool.preparedQuery(STATISTICS)
        .execute(Tuple.of(maxBooks, EXPIRY_JOB))
        .map(
            rows -> {
              Map<String, Map<String, Long>> byKind = new HashMap<>();
              JsonObject byBook = new JsonObject();
              JsonObject lastExpiry = null;
              for (Row row : rows) {
                switch (row.getString("kind")) {
                  case "book" -> byBook.put(row.getString("key"), row.getLong("n"));
                  case "last_expiry" ->
                      lastExpiry =
                          new JsonObject()
                              .put("at", row.getOffsetDateTime("at").toInstant().toString())
                              .put("expired", row.getLong("n"));
                  default ->
                      byKind
                          .computeIfAbsent(row.getString("kind"), k -> new HashMap<>())
                          .put(row.getString("key"), row.getLong("n"));
                }
              }
              return statisticsBody(byKind, byBook, lastExpiry);
            });
  }

  private static JsonObject statisticsBody(
      Map<String, Map<String, Long>> counters, JsonObject byBook, JsonObject lastExpiry) {
    Map<String, Long> state = counters.getOrDefault("state", Map.of());
    Map<String, Long> sources = counters.getOrDefault("source", Map.of());
    Map<String, Long> failures = counters.getOrDefault("validation_failures", Map.of());
    long active = state.getOrDefault("active", 0L);
    long expired = state.getOrDefault("expired", 0L);
    long processed = sources.values().stream().mapToLong(Long::longValue).sum();
    long failed = failures.values().stream().mapToLong(Long::longValue).sum();
    JsonObject bySource = new JsonObject().put("rest", 0L).put("kafka", 0L);
    sources.forEach(bySource::put);
    JsonObject failuresBySource = new JsonObject();
    failures.forEach(failuresBySource::put);
    return new JsonObject()
        .put("total_trades", active + expired)
        .put("active_trades", active)
        .put("expired_trades", expired)
        .put("trades_by_book", byBook)
        .put("processed_by_source", bySource)
        .put("validation_failures", failed)
        .put("validation_failures_by_source", failuresBySource)
        .put(
            "validation_failure_rate",
            processed + failed == 0 ? 0.0 : (double) failed / (processed + failed))
        .put("last_expiry_run", lastExpiry);
  }

  /**
   * Recounts the counters that follow from the rows (trades by state and by book), sets drifted
   * ones right, and reports the drift. Writers wait for the repair (a SHARE lock on trades), so the
   * recount and the counters describe the same rows. The event counters (per source, validation
   * failures) have no table to be recounted from: they are returned as they stand.
   */
  public Future<JsonObject> repairCounters() {
    return pool.withTransaction(
        tx ->
            tx.query(LOCK_FOR_REPAIR)
                .execute()
                .compose(locked -> tx.query(REPAIR).execute())
                .compose(
                    drift ->
                        tx.preparedQuery(COUNTERS)
                            .execute()
                            .map(events -> repairReport(drift, events))));
  }

  private static JsonObject repairReport(RowSet<Row> drift, RowSet<Row> counters) {
    JsonArray drifted = new JsonArray();
    drift.forEach(
        row ->
            drifted.add(
                new JsonObject()
                    .put("kind", row.getString("kind"))
                    .put("key", row.getString("key"))
                    .put("stored", row.getLong("stored"))
                    .put("actual", row.getLong("actual"))));
    JsonObject events = new JsonObject();
    counters.forEach(
        row -> {
          if (!"state".equals(row.getString("kind"))) {
            JsonObject kind = events.getJsonObject(row.getString("kind"), new JsonObject());
            events.put(row.getString("kind"), kind.put(row.getString("key"), row.getLong("n")));
          }
        });
    return new JsonObject()
        .put("recounted", new JsonArray().add("state").add("book"))
        .put("drift", drifted)
        .put("drifted", drifted.size())
        .put("event_counters", events);
  }

  private static Tuple upsertArguments(
      List<Trade> trades, List<String> sources, List<String> refusedSources) {
    int n = trades.size();
    String[] ids = new String[n];
    Integer[] versions = new Integer[n];
    String[] counterParties = new String[n];
    String[] books = new String[n];
    LocalDate[] maturities = new LocalDate[n];
    LocalDate[] created = new LocalDate[n];
    for (int i = 0; i < n; i++) {
      Trade t = trades.get(i);
      ids[i] = t.tradeId();
      versions[i] = t.version();
      counterParties[i] = t.counterPartyId();
      books[i] = t.bookId();
      maturities[i] = t.maturityDate();
      created[i] = t.createdDate();
    }
    return Tuple.tuple()
        .addArrayOfString(ids)
        .addArrayOfInteger(versions)
        .addArrayOfString(counterParties)
        .addArrayOfString(books)
        .addArrayOfLocalDate(maturities)
        .addArrayOfLocalDate(created)
        .addArrayOfString(sources.toArray(String[]::new))
        .addArrayOfString(refusedSources.toArray(String[]::new));
  }

  private static List<UpsertResult> results(List<Trade> trades, RowSet<Row> rows) {
    Map<String, Row> byId = new HashMap<>();
    rows.forEach(row -> byId.put(row.getString("trade_id"), row));
    return trades.stream().map(trade -> result(trade, byId.get(trade.tradeId()))).toList();
  }

  private static UpsertResult result(Trade trade, Row row) {
    Integer prior = row.getInteger("prior_version");
    if (!row.getBoolean("written")) {
      return UpsertResult.rejected(trade, TradeRules.lowerVersion(trade, prior));
    }
    if (row.getBoolean("inserted")) {
      return UpsertResult.stored(Outcome.CREATED, trade);
    }
    return UpsertResult.stored(
        prior != null && prior == trade.version() ? Outcome.REPLACED : Outcome.UPDATED, trade);
  }

  private static Optional<Trade> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(trade(rows.iterator().next()));
  }

  private static List<Trade> trades(RowSet<Row> rows) {
    return StreamSupport.stream(rows.spliterator(), false).map(TradeStore::trade).toList();
  }

  private static long count(RowSet<Row> rows) {
    return rows.iterator().next().getLong(0);
  }

  private static Trade trade(Row row) {
    return new Trade(
        row.getString("trade_id"),
        row.getInteger("version"),
        row.getString("counter_party_id"),
        row.getString("book_id"),
        row.getLocalDate("maturity_date"),
        row.getLocalDate("created_date"),
        row.getBoolean("expired"));
  }
}
