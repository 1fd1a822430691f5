package store;

import domain.Tick;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores a batch of ticks in one transaction: prices_raw, quote_tick, the 1- and 5-minute bars, and
 * the guarded realtime_quote upsert. Each statement takes unnest arrays, so a batch costs five
 * statements (pipelined) whatever its size.
 */
public final class PriceStore {
  /**
   * A tick with the Kafka coordinates it came from (its idempotency key) and its correlation id.
   */
  public record Incoming(
      Tick tick, String topic, int partition, long offset, String correlationId) {}

  /**
   * Redelivered records (same topic, partition, offset) are skipped, and only new ones feed the
   * rest.
   */
  private static final String INSERT_RAW =
      """
      INSERT INTO prices_raw (symbol, price, size, timestamp_ms, exchange, source_topic, source_partition,
                              source_offset, correlation_id)
      SELECT * FROM unnest($1::varchar[], $2::text[]::numeric[], $3::text[]::numeric[], $4::bigint[], $5::varchar[],
                           $6::varchar[], $7::int[], $8::bigint[], $9::varchar[])
      ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING
      RETURNING source_topic, source_partition, source_offset
      """;

  private static final String APPEND_TICKS =
      """
      INSERT INTO quote_tick (symbol, ts, price, size, exchange)
      SELECT symbol, timestamptz 'epoch' + ms * interval '1 millisecond', price, size, exchange
      FROM unnest($1::varchar[], $2::text[]::numeric[], $3::text[]::numeric[], $4::bigint[], $5::varchar[])
        AS t(symbol, price, size, ms, exchange)
      """;

  /**
   * The ON CONFLICT row lock serialises writers of one symbol, and the WHERE guard compares against
   * the committed row: an older tick never replaces a newer one, whatever the arrival order. An
   * equal timestamp replaces (the later arrival wins). RETURNING names the symbols whose quote
   * changed.
   */
  private static final String UPSERT_LATEST =
      """
      INSERT INTO realtime_quote AS q (symbol, price, size, timestamp_ms, exchange, updated_at)
      SELECT symbol, price, size, ms, exchange, now()
      FROM unnest($1::varchar[], $2::text[]::numeric[], $3::text[]::numeric[], $4::bigint[], $5::varchar[])
        AS l(symbol, price, size, ms, exchange)
      ON CONFLICT (symbol) DO UPDATE SET price = EXCLUDED.price, size = EXCLUDED.size,
        timestamp_ms = EXCLUDED.timestamp_ms, exchange = EXCLUDED.exchange, updated_at = now()
      WHERE q.timestamp_ms <= EXCLUDED.timestamp_ms
      RETURNING symbol
      """;

  /**
   * The batch's fresh ticks folded into the bars of one width, in one statement. Within the batch,
   * open and close are the first and last by tick time, then arrival (ordinality); against the
   * stored bar, an earlier open or a later-or-equal close wins, as a later arrival with the same
   * time does in quote_tick. Rows are written in key order, so two batches touching the same bars
   * lock them in the same order.
   */
  private static String upsertBars(String table, String width) {
    return """
    INSERT INTO %1$s AS b (symbol, bucket, open, high, low, close, volume, ticks, open_ts, close_ts)
    SELECT symbol, date_bin(interval '%2$s', ts, timestamptz '1970-01-01') AS bucket,
           (array_agg(price ORDER BY ts, ord))[1], max(price), min(price),
           (array_agg(price ORDER BY ts DESC, ord DESC))[1], coalesce(sum(size), 0), count(*), min(ts), max(ts)
    FROM (SELECT symbol, price, size, ord, timestamptz 'epoch' + ms * interval '1 millisecond' AS ts
          FROM unnest($1::varchar[], $2::text[]::numeric[], $3::text[]::numeric[], $4::bigint[], $5::varchar[])
            WITH ORDINALITY AS t(symbol, price, size, ms, exchange, ord)) fresh
    GROUP BY symbol, bucket
    ORDER BY symbol, bucket
    ON CONFLICT (symbol, bucket) DO UPDATE SET
      open = CASE WHEN EXCLUDED.open_ts < b.open_ts THEN EXCLUDED.open ELSE b.open END,
      open_ts = least(b.open_ts, EXCLUDED.open_ts),
      high = greatest(b.high, EXCLUDED.high),
      low = least(b.low, EXCLUDED.low),
      close = CASE WHEN EXCLUDED.close_ts >= b.close_ts THEN EXCLUDED.close ELSE b.close END,
      close_ts = greatest(b.close_ts, EXCLUDED.close_ts),
      volume = b.volume + EXCLUDED.volume,
      ticks = b.ticks + EXCLUDED.ticks
    """
        .formatted(table, width);
  }

  private static final String UPSERT_BARS_1MIN = upsertBars("quote_ohlc_1min", "1 minute");
  private static final String UPSERT_BARS_5MIN = upsertBars("quote_ohlc_5min", "5 minutes");

  private final Pool pool;

  public PriceStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * @return the quotes that became the latest of their symbol, one per symbol
   */
  public Future<List<Tick>> store(List<Incoming> batch) {
    return pool.withTransaction(
        conn ->
            insertRaw(conn, batch)
                .compose(
                    fresh -> {
                      if (fresh.isEmpty()) {
                        return Future.succeededFuture(List.<Tick>of());
                      }
                      Map<String, Tick> latest = latestPerSymbol(fresh);
                      Future<Void> ticks =
                          conn.preparedQuery(APPEND_TICKS).execute(columns(fresh)).mapEmpty();
                      Future<Void> bars =
                          Future.all(
                                  conn.preparedQuery(UPSERT_BARS_1MIN).execute(columns(fresh)),
                                  conn.preparedQuery(UPSERT_BARS_5MIN).execute(columns(fresh)))
                              .mapEmpty();
                      Future<List<Tick>> changed =
                          conn.preparedQuery(UPSERT_LATEST)
                              .execute(columns(latest.values()))
                              .map(
                                  rows -> {
                                    List<Tick> updated = new ArrayList<>();
                                    rows.forEach(
                                        row -> updated.add(latest.get(row.getString("symbol"))));
                                    return updated;
                                  });
                      return Future.all(ticks, bars, changed).map(done -> changed.result());
                    }));
  }

  /**
   * @return the ticks of the batch that were not stored before
   */
  private static Future<List<Tick>> insertRaw(SqlConnection conn, List<Incoming> batch) {
    return conn.preparedQuery(INSERT_RAW)
        .execute(rawColumns(batch))
        .map(
            rows -> {
              Set<String> inserted = new HashSet<>();
              rows.forEach(
                  row ->
                      inserted.add(
                          coordinates(row.getString(0), row.getInteger(1), row.getLong(2))));
              return batch.stream()
                  .filter(
                      in -> inserted.contains(coordinates(in.topic(), in.partition(), in.offset())))
                  .map(Incoming::tick)
                  .toList();
            });
  }

  /** Per symbol the tick with the highest timestamp; on a tie the later one in arrival order. */
  static Map<String, Tick> latestPerSymbol(List<Tick> ticks) {
    Map<String, Tick> latest = new LinkedHashMap<>();
    for (Tick tick : ticks) {
      latest.merge(
          tick.symbol(),
          tick,
          (old, candidate) -> candidate.timestampMs() >= old.timestampMs() ? candidate : old);
    }
    return latest;
  }

  private static String coordinates(String topic, int partition, long offset) {
    return topic + '\u0000' + partition + '\u0000' + offset;
  }

  private static Tuple rawColumns(List<Incoming> batch) {
    int n = batch.size();
    String[] topics = new String[n];
    Integer[] partitions = new Integer[n];
    Long[] offsets = new Long[n];
    String[] correlationIds = new String[n];
    for (int i = 0; i < n; i++) {
      Incoming in = batch.get(i);
      topics[i] = in.topic();
      partitions[i] = in.partition();
      offsets[i] = in.offset();
      correlationIds[i] = in.correlationId();
    }
    return columns(batch.stream().map(Incoming::tick).toList())
        .addArrayOfString(topics)
        .addArrayOfInteger(partitions)
        .addArrayOfLong(offsets)
        .addArrayOfString(correlationIds);
  }

  /**
   * symbol, price, size, timestamp_ms, exchange as five arrays. Decimals travel as exact text and
   * are cast to numeric by PostgreSQL (the client's numeric array encoder rejects null elements).
   */
  private static Tuple columns(Collection<Tick> ticks) {
    int n = ticks.size();
    String[] symbols = new String[n];
    String[] prices = new String[n];
    String[] sizes = new String[n];
    Long[] timestamps = new Long[n];
    String[] exchanges = new String[n];
    int i = 0;
    for (Tick tick : ticks) {
      symbols[i] = tick.symbol();
      prices[i] = tick.price().toPlainString();
      sizes[i] = tick.size() == null ? null : tick.size().toPlainString();
      timestamps[i] = tick.timestampMs();
      exchanges[i] = tick.exchange();
      i++;
    }
    return Tuple.tuple()
        .addArrayOfString(symbols)
        .addArrayOfString(prices)
        .addArrayOfString(sizes)
        .addArrayOfLong(timestamps)
        .addArrayOfString(exchanges);
  }
}
