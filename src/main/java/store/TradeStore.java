package store;

import domain.Trade;
import domain.TradeRules;
import domain.UpsertResult;
import domain.UpsertResult.Outcome;
import io.vertx.core.Future;
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
import java.util.stream.StreamSupport;

/** All SQL of the trades table. */
public final class TradeStore {
  /**
   * The version rule, applied atomically: the row lock taken by ON CONFLICT serialises concurrent
   * writers of one trade_id, and the WHERE guard refuses a lower version against the row as committed
   * at that moment, so no read-then-write race exists. {@code prior} (a statement snapshot) only
   * labels the outcome REPLACED or UPDATED, and names the stored version in rejections. Public for the
   * benchmark, whose pgbench baseline runs this same statement one row per transaction.
   */
  public static final String UPSERT = """
      WITH incoming AS (
        SELECT * FROM unnest($1::varchar[], $2::int[], $3::varchar[], $4::varchar[], $5::date[], $6::date[])
          AS i(trade_id, version, counter_party_id, book_id, maturity_date, created_date)
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
      )
      SELECT incoming.trade_id, written.trade_id IS NOT NULL AS written,
             coalesce(written.inserted, false) AS inserted, prior.version AS prior_version
      FROM incoming LEFT JOIN written USING (trade_id) LEFT JOIN prior USING (trade_id)
      """;
  private static final String COLUMNS =
      "trade_id, version, counter_party_id, book_id, maturity_date, created_date, expired";
  private static final String FIND = "SELECT " + COLUMNS + " FROM trades WHERE trade_id = $1";
  private static final String LIST = "SELECT " + COLUMNS + " FROM trades ORDER BY trade_id LIMIT $1 OFFSET $2";
  private static final String COUNT = "SELECT count(*) FROM trades";
  private static final String LIST_BY_BOOK =
      "SELECT " + COLUMNS + " FROM trades WHERE book_id = $1 ORDER BY trade_id LIMIT $2 OFFSET $3";
  private static final String COUNT_BY_BOOK = "SELECT count(*) FROM trades WHERE book_id = $1";
  private static final String DELETE = "DELETE FROM trades WHERE trade_id = $1 RETURNING " + COLUMNS;

  /**
   * Claims a run of a cluster-wide job: succeeds for one caller per {@code $2} seconds, whatever the
   * number of JVMs whose timers fire (the ON CONFLICT row lock serialises concurrent claims).
   */
  private static final String CLAIM_JOB = """
      INSERT INTO job_runs (job, last_run) VALUES ($1, now())
      ON CONFLICT (job) DO UPDATE SET last_run = now()
      WHERE job_runs.last_run <= now() - make_interval(secs => $2)
      RETURNING job
      """;
  private static final String EXPIRE = """
      UPDATE trades SET expired = true, last_updated = now() WHERE maturity_date < $1 AND NOT expired
      """;
  private static final String RECORD_JOB_RESULT = "UPDATE job_runs SET last_count = $2 WHERE job = $1";
  private static final String COUNTS = """
      SELECT count(*) AS total, count(*) FILTER (WHERE NOT expired) AS active,
             count(*) FILTER (WHERE expired) AS expired
      FROM trades
      """;
  private static final String COUNTS_BY_BOOK =
      "SELECT book_id, count(*) AS trades FROM trades GROUP BY book_id ORDER BY book_id LIMIT $1";
  private static final String LAST_JOB_RUN = "SELECT last_run, last_count FROM job_runs WHERE job = $1";
  public static final String EXPIRY_JOB = "trade-expiry";

  private final Pool pool;

  public TradeStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Applies the version rule to a batch in one statement and round trip. Trade ids within one batch
   * must be distinct (one row cannot be written twice by one statement). Maturity is checked before.
   */
  public Future<List<UpsertResult>> upsertAll(List<Trade> trades) {
    return pool.preparedQuery(UPSERT).execute(upsertArguments(trades)).map(rows -> results(trades, rows));
  }

  public Future<Optional<Trade>> find(String tradeId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(tradeId)).map(TradeStore::first);
  }

  public Future<Page<Trade>> list(int limit, long offset) {
    Future<List<Trade>> items = pool.preparedQuery(LIST).execute(Tuple.of(limit, offset)).map(TradeStore::trades);
    Future<Long> total = pool.preparedQuery(COUNT).execute().map(TradeStore::count);
    return Future.all(items, total).map(done -> new Page<>(items.result(), total.result()));
  }

  public Future<Page<Trade>> listByBook(String bookId, int limit, long offset) {
    Future<List<Trade>> items = pool.preparedQuery(LIST_BY_BOOK)
        .execute(Tuple.of(bookId, limit, offset)).map(TradeStore::trades);
    Future<Long> total = pool.preparedQuery(COUNT_BY_BOOK).execute(Tuple.of(bookId)).map(TradeStore::count);
    return Future.all(items, total).map(done -> new Page<>(items.result(), total.result()));
  }

  /** @return the deleted trade, empty when there was none */
  public Future<Optional<Trade>> delete(String tradeId) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(tradeId)).map(TradeStore::first);
  }

  /**
   * Flags trades that matured before {@code today}, if this caller wins the claim of the tick.
   * @param minSecondsBetweenRuns 0 to run unconditionally (manual trigger)
   * @return the number of trades flagged, or empty when another node already ran this tick
   */
  public Future<Optional<Long>> expireMatured(LocalDate today, double minSecondsBetweenRuns) {
    return pool.withTransaction(tx -> tx.preparedQuery(CLAIM_JOB).execute(Tuple.of(EXPIRY_JOB, minSecondsBetweenRuns))
        .compose(claim -> claim.size() == 0
            ? Future.succeededFuture(Optional.empty())
            : tx.preparedQuery(EXPIRE).execute(Tuple.of(today))
                .compose(expired -> tx.preparedQuery(RECORD_JOB_RESULT)
                    .execute(Tuple.of(EXPIRY_JOB, (long) expired.rowCount()))
                    .map(done -> Optional.of((long) expired.rowCount())))));
  }

  /** Counts for GET /statistics: totals, per book (bounded), and the last expiry run. */
  public Future<JsonObject> statistics(int maxBooks) {
    Future<Row> counts = pool.query(COUNTS).execute().map(rows -> rows.iterator().next());
    Future<JsonObject> byBook = pool.preparedQuery(COUNTS_BY_BOOK).execute(Tuple.of(maxBooks)).map(rows -> {
      JsonObject books = new JsonObject();
      rows.forEach(row -> books.put(row.getString("book_id"), row.getLong("trades")));
      return books;
    });
    Future<JsonObject> lastExpiry = pool.preparedQuery(LAST_JOB_RUN).execute(Tuple.of(EXPIRY_JOB)).map(rows ->
        rows.size() == 0 ? null : new JsonObject()
            .put("at", rows.iterator().next().getOffsetDateTime("last_run").toInstant().toString())
            .put("expired", rows.iterator().next().getLong("last_count")));
    return Future.all(counts, byBook, lastExpiry).map(done -> new JsonObject()
        .put("total_trades", counts.result().getLong("total"))
        .put("active_trades", counts.result().getLong("active"))
        .put("expired_trades", counts.result().getLong("expired"))
        .put("trades_by_book", byBook.result())
        .put("last_expiry_run", lastExpiry.result()));
  }

  private static Tuple upsertArguments(List<Trade> trades) {
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
    return Tuple.tuple().addArrayOfString(ids).addArrayOfInteger(versions).addArrayOfString(counterParties)
        .addArrayOfString(books).addArrayOfLocalDate(maturities).addArrayOfLocalDate(created);
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
    return UpsertResult.stored(prior != null && prior == trade.version() ? Outcome.REPLACED : Outcome.UPDATED, trade);
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
    return new Trade(row.getString("trade_id"), row.getInteger("version"), row.getString("counter_party_id"),
        row.getString("book_id"), row.getLocalDate("maturity_date"), row.getLocalDate("created_date"),
        row.getBoolean("expired"));
  }
}
