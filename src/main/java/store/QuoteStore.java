package store;

import domain.Decimals;
import domain.Tick;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads of realtime_quote, quote_tick and the stored bars: latest quotes, price history and OHLC
 * bars.
 */
public final class QuoteStore {
  /** One page of history: the newest points, oldest first, and whether older ones were left out. */
  public record History(Map<String, JsonArray> bySymbol, boolean truncated) {}

  private static final String LATEST =
      """
      SELECT symbol, price, size, timestamp_ms, exchange FROM realtime_quote WHERE symbol = ANY($1::varchar[])
      """;
  private static final String RECENT_SYMBOLS =
      """
      SELECT symbol FROM realtime_quote ORDER BY updated_at DESC, symbol LIMIT $1
      """;

  /**
   * Ticks from the minute the tick retention ($4 hours) starts in; before it, the 1-minute bars'
   * closes (seed 003's quote_ohlc_1min fallback), so a window longer than the retention has no hole
   * once ticks are purged.
   */
  private static final String HISTORY =
      """
      WITH bounds AS (
        SELECT now() - make_interval(mins => $2) AS since,
               date_bin(interval '1 minute', now() - make_interval(hours => $4), timestamptz '1970-01-01') AS ticks_since
      )
      SELECT symbol, ts, price, size, exchange, 'tick' AS source, id FROM quote_tick, bounds
      WHERE symbol = ANY($1::varchar[]) AND ts >= greatest(since, ticks_since)
      UNION ALL
      SELECT symbol, bucket, close, volume, NULL, 'ohlc_1min', 0 FROM quote_ohlc_1min, bounds
      WHERE symbol = ANY($1::varchar[]) AND bucket >= date_bin(interval '1 minute', since, timestamptz '1970-01-01')
        AND bucket < ticks_since
      ORDER BY ts DESC, id DESC LIMIT $3
      """;

  /**
   * Stored bars (1 or 5 minutes wide), maintained as ticks are stored; the newest $3 minutes'
   * worth.
   */
  private static String storedBars(String table, int widthMinutes) {
    return """
    SELECT bucket, open, high, low, close, volume, ticks FROM %s
    WHERE symbol = $1 AND bucket >= date_bin(interval '%d minutes', now() - make_interval(mins => $2),
                                              timestamptz '1970-01-01')
    ORDER BY bucket
    """
        .formatted(table, widthMinutes);
  }

  private static final Map<Integer, String> STORED_BARS =
      Map.of(1, storedBars("quote_ohlc_1min", 1), 5, storedBars("quote_ohlc_5min", 5));

  /**
   * Bars aligned on the interval (date_bin from the epoch); first and last by tick time, then
   * arrival.
   */
  private static final String OHLC =
      """
      SELECT date_bin(make_interval(mins => $2), ts, timestamptz '1970-01-01') AS bucket,
             (array_agg(price ORDER BY ts, id))[1] AS open,
             max(price) AS high,
             min(price) AS low,
             (array_agg(price ORDER BY ts DESC, id DESC))[1] AS close,
             coalesce(sum(size), 0) AS volume,
             count(*) AS ticks
      FROM quote_tick
      WHERE symbol = $1
        AND ts >= date_bin(make_interval(mins => $2), now() - make_interval(mins => $3), timestamptz '1970-01-01')
      GROUP BY bucket ORDER BY bucket
      """;

  private final Pool pool;

  public QuoteStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Map<String, Tick>> latest(List<String> symbols) {
    if (symbols.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(LATEST)
        .execute(Tuple.of(symbols.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, Tick> found = new LinkedHashMap<>();
              rows.forEach(row -> found.put(row.getString("symbol"), tick(row)));
              return found;
            });
  }

  /** The most recently updated symbols, for a dashboard that was given none. */
  public Future<List<String>> recentSymbols(int limit) {
    return pool.preparedQuery(RECENT_SYMBOLS)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<String> symbols = new ArrayList<>();
              rows.forEach(row -> symbols.add(row.getString("symbol")));
              return symbols;
            });
  }

  /**
   * @param tickRetentionHours how far back quote_tick is kept; older points come from the 1-minute
   *     bars
   */
  public Future<History> history(
      List<String> symbols, int minutes, int maxPoints, int tickRetentionHours) {
    return pool.preparedQuery(HISTORY)
        .execute(
            Tuple.of(symbols.toArray(String[]::new), minutes, maxPoints + 1, tickRetentionHours))
        .map(rows -> history(symbols, rows, maxPoints));
  }

  /** The stored bars of {@code widthMinutes} (1 or 5), in the shape of {@link #ohlc}. */
  public Future<JsonArray> storedBars(String symbol, int widthMinutes, int minutes) {
    return pool.preparedQuery(STORED_BARS.get(widthMinutes))
        .execute(Tuple.of(symbol, minutes))
        .map(QuoteStore::bars);
  }

  public Future<JsonArray> ohlc(String symbol, int bucketMinutes, int minutes) {
    return pool.preparedQuery(OHLC)
        .execute(Tuple.of(symbol, bucketMinutes, minutes))
        .map(QuoteStore::bars);
  }

  private static JsonArray bars(RowSet<Row> rows) {
    JsonArray bars = new JsonArray();
    rows.forEach(
        row ->
            bars.add(
                new JsonObject()
                    .put("start", row.getOffsetDateTime("bucket").toInstant().toString())
                    .put("start_ms", row.getOffsetDateTime("bucket").toInstant().toEpochMilli())
                    .put("open", plain(row.getBigDecimal("open")))
                    .put("high", plain(row.getBigDecimal("high")))
                    .put("low", plain(row.getBigDecimal("low")))
                    .put("close", plain(row.getBigDecimal("close")))
                    .put("volume", plain(row.getBigDecimal("volume")))
                    .put("ticks", row.getLong("ticks"))));
    return bars;
  }

  private static History history(List<String> symbols, RowSet<Row> rows, int maxPoints) {
    Map<String, JsonArray> bySymbol = new LinkedHashMap<>();
    symbols.forEach(symbol -> bySymbol.put(symbol, new JsonArray()));
    List<Row> newestFirst = new ArrayList<>();
    rows.forEach(newestFirst::add);
    boolean truncated = newestFirst.size() > maxPoints;
    for (int i = Math.min(newestFirst.size(), maxPoints) - 1; i >= 0; i--) {
      Row row = newestFirst.get(i);
      OffsetDateTime ts = row.getOffsetDateTime("ts");
      bySymbol
          .get(row.getString("symbol"))
          .add(
              new JsonObject()
                  .put("timestamp_ms", ts.toInstant().toEpochMilli())
                  .put("price", plain(row.getBigDecimal("price")))
                  .put("size", plain(row.getBigDecimal("size")))
                  .put("exchange", row.getString("exchange"))
                  .put("source", row.getString("source")));
    }
    return new History(bySymbol, truncated);
  }

  static Tick tick(Row row) {
    return new Tick(
        row.getString("symbol"),
        row.getBigDecimal("price").stripTrailingZeros(),
        stripped(row.getBigDecimal("size")),
        row.getLong("timestamp_ms"),
        row.getString("exchange"));
  }

  private static BigDecimal stripped(BigDecimal value) {
    return value == null ? null : value.stripTrailingZeros();
  }

  private static String plain(BigDecimal value) {
    return Decimals.format(value);
  }
}
