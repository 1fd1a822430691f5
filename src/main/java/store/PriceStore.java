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
 * Stores a batch of ticks in one transaction: prices_raw, quote_tick, and the guarded realtime_quote
 * upsert. Each statement takes unnest arrays, so a batch costs three statements whatever its size.
 */
public final class PriceStore {
  /** A tick with the Kafka coordinates it came from (its idempotency key) and its correlation id. */
  public record Incoming(Tick tick, String topic, int partition, long offset, String correlationId) {}

  /** Redelivered records (same topic, partition, offset) are skipped, and only new ones feed the rest. */
  private static final String INSERT_RAW = """
      INSERT INTO prices_raw (symbol, price, size, timestamp_ms, exchange, source_topic, source_partition,
                              source_offset, correlation_id)
      SELECT * FROM unnest($1::varchar[], $2::text[]::numeric[], $3::text[]::numeric[], $4::bigint[], $5::varchar[],
                           $6::varchar[], $7::int[], $8::bigint[], $9::varchar[])
      ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING
      RETURNING source_topic, source_partition, source_offset
      """;
  private static final String APPEND_TICKS = """
      INSERT INTO quote_tick (symbol, ts, price, size, exchange)
      SELECT symbol, timestamptz 'epoch' + ms * interval '1 millisecond', price, size, exchange
      FROM unnest($1::varchar[], $2::text[]::numeric[], $3::text[]::numeric[], $4::bigint[], $5::varchar[])
        AS t(symbol, price, size, ms, exchange)
      """;
  /**
   * The ON CONFLICT row lock serialises writers of one symbol, and the WHERE guard compares against the
   * committed row: an older tick never replaces a newer one, whatever the arrival order. An equal
   * timestamp replaces (the later arrival wins). RETURNING names the symbols whose quote changed.
   */
  private static final String UPSERT_LATEST = """
      INSERT INTO realtime_quote AS q (symbol, price, size, timestamp_ms, exchange, updated_at)
      SELECT symbol, price, size, ms, exchange, now()
      FROM unnest($1::varchar[], $2::text[]::numeric[], $3::text[]::numeric[], $4::bigint[], $5::varchar[])
        AS l(symbol, price, size, ms, exchange)
      ON CONFLICT (symbol) DO UPDATE SET price = EXCLUDED.price, size = EXCLUDED.size,
        timestamp_ms = EXCLUDED.timestamp_ms, exchange = EXCLUDED.exchange, updated_at = now()
      WHERE q.timestamp_ms <= EXCLUDED.timestamp_ms
      RETURNING symbol
      """;

  private final Pool pool;

  public PriceStore(Pool pool) {
    this.pool = pool;
  }

  /** @return the quotes that became the latest of their symbol, one per symbol */
  public Future<List<Tick>> store(List<Incoming> batch) {
    return pool.withTransaction(conn -> insertRaw(conn, batch).compose(fresh -> {
      if (fresh.isEmpty()) {
        return Future.succeededFuture(List.<Tick>of());
      }
      Map<String, Tick> latest = latestPerSymbol(fresh);
      Future<Void> ticks = conn.preparedQuery(APPEND_TICKS).execute(columns(fresh)).mapEmpty();
      Future<List<Tick>> changed = conn.preparedQuery(UPSERT_LATEST).execute(columns(latest.values()))
          .map(rows -> {
            List<Tick> updated = new ArrayList<>();
            rows.forEach(row -> updated.add(latest.get(row.getString("symbol"))));
            return updated;
          });
      return Future.all(ticks, changed).map(done -> changed.result());
    }));
  }

  /** @return the ticks of the batch that were not stored before */
  private static Future<List<Tick>> insertRaw(SqlConnection conn, List<Incoming> batch) {
    return conn.preparedQuery(INSERT_RAW).execute(rawColumns(batch)).map(rows -> {
      Set<String> inserted = new HashSet<>();
      rows.forEach(row -> inserted.add(coordinates(row.getString(0), row.getInteger(1), row.getLong(2))));
      return batch.stream()
          .filter(in -> inserted.contains(coordinates(in.topic(), in.partition(), in.offset())))
          .map(Incoming::tick)
          .toList();
    });
  }

  /** Per symbol the tick with the highest timestamp; on a tie the later one in arrival order. */
  static Map<String, Tick> latestPerSymbol(List<Tick> ticks) {
    Map<String, Tick> latest = new LinkedHashMap<>();
    for (Tick tick : ticks) {
      latest.merge(tick.symbol(), tick, (old, candidate) -> candidate.timestampMs() >= old.timestampMs() ? candidate : old);
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
        .addArrayOfString(topics).addArrayOfInteger(partitions).addArrayOfLong(offsets).addArrayOfString(correlationIds);
  }

  /**
   * symbol, price, size, timestamp_ms, exchange as five arrays. Decimals travel as exact text and are
   * cast to numeric by PostgreSQL (the client's numeric array encoder rejects null elements).
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
    return Tuple.tuple().addArrayOfString(symbols).addArrayOfString(prices).addArrayOfString(sizes)
        .addArrayOfLong(timestamps).addArrayOfString(exchanges);
  }
}
