package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import http.Cursor;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import store.PgPools;
import store.TradeStore;
import support.Await;
import support.TestInfra;

/**
 * Issue 15: read paths whose cost does not grow with the data. At each size ({@code
 * bench.readTrades}, loaded in one {@code INSERT … SELECT generate_series} statement and analysed),
 * {@code wrk} measures GET by id, the first page, a deep cursor page, a book's deep cursor page and
 * the statistics (uncached, so the counters' read is measured, not the one-second cache); each is
 * compared with GET by id in the same run, and every figure at the largest size with the smallest.
 * The plans of the read statements are written next to the rows.
 */
@Tag("benchmark")
class ReadPathsBenchmark {
  private static final int CONNECTIONS = 16;
  private static final String PREFIX = "RD";
  private static final int SECONDS = Integer.getInteger("bench.readSeconds", 10);
  private static final int BOOKS = 100;

  @Test
  void readsStayFlatAsTradesGrow() {
    List<Long> sizes =
        java.util.Arrays.stream(System.getProperty("bench.readTrades", "100000,1000000").split(","))
            .map(String::strip)
            .map(Long::parseLong)
            .toList();
    Vertx vertx = Vertx.vertx();
    Pool pg = PgPools.create(vertx, TestInfra.config());
    Bench.Service service =
        Bench.startService(
            "reads", "api,trades", Map.of(ConfigKeys.STATISTICS_CACHE_MS, "0"), List.of("-Xmx1g"));
    Map<Long, Map<String, Bench.WrkResult>> bySize = new LinkedHashMap<>();
    StringBuilder plans = new StringBuilder();
    try {
      for (long size : sizes) {
        load(pg, size);
        plans.append(plans(pg, size));
        bySize.put(size, measure(service, size));
      }
    } finally {
      service.close();
      Await.result(pg.close());
      Await.result(vertx.close());
    }
    Bench.write(Bench.DIRECTORY.resolve("read-plans.txt"), plans.toString());
    report(sizes, bySize);
  }

  /** Every call at one size: first the reference (by id), then the listings and the statistics. */
  private static Map<String, Bench.WrkResult> measure(Bench.Service service, long size) {
    String deep = Cursor.encode(String.format("%s-%09d", PREFIX, size - 1_000));
    String bookDeep = Cursor.encode(String.format("%s-%09d", PREFIX, size - 50 * BOOKS));
    Map<String, String[]> calls = new LinkedHashMap<>();
    calls.put("GET /api/v1/trades/{id}", new String[] {"id", Long.toString(size)});
    calls.put("GET /api/v1/trades first page", new String[] {"path", "/api/v1/trades?size=50"});
    calls.put(
        "GET /api/v1/trades deep cursor page",
        new String[] {"path", "/api/v1/trades?size=50&cursor=" + deep});
    calls.put(
        "GET /api/v1/trades/book/B7 deep cursor page",
        new String[] {"path", "/api/v1/trades/book/B7?size=50&cursor=" + bookDeep});
    calls.put("GET /api/v1/statistics", new String[] {"path", "/api/v1/statistics"});
    Bench.progress("reads at " + size + " trades: warm-up " + SECONDS + " s");
    Bench.wrk(service.url(), "reads.lua", CONNECTIONS, SECONDS, PREFIX, "id", Long.toString(size));
    Map<String, Bench.WrkResult> results = new LinkedHashMap<>();
    calls.forEach(
        (name, args) -> {
          Bench.WrkResult result =
              Bench.wrk(service.url(), "reads.lua", CONNECTIONS, SECONDS, PREFIX, args[0], args[1]);
          assertEquals(0, result.errors(), name + ": every GET answered 200");
          Bench.progress(
              String.format(
                  "%,d trades: %s %.0f req/s (p99 %.1f ms)",
                  size, name, result.rate(), result.p99Ms()));
          results.put(name, result);
        });
    return results;
  }

  private static void report(List<Long> sizes, Map<Long, Map<String, Bench.WrkResult>> bySize) {
    long smallest = sizes.get(0);
    for (long size : sizes) {
      Map<String, Bench.WrkResult> results = bySize.get(size);
      Bench.WrkResult byId = results.get("GET /api/v1/trades/{id}");
      results.forEach(
          (name, result) -> {
            boolean reference = result == byId;
            double ratio = reference ? Double.NaN : result.rate() / byId.rate();
            Bench.WrkResult small = bySize.get(smallest).get(name);
            double flat = result.rate() / small.rate();
            boolean largest = size != smallest;
            String target =
                (reference ? "" : ">= 0.5x GET by id")
                    + (largest
                        ? (reference ? "" : "; ")
                            + ">= 0.8x its rate at "
                            + String.format("%,d", smallest)
                        : "");
            boolean met = (reference || ratio >= 0.5) && (!largest || flat >= 0.8);
            new BenchRow(
                    String.format("Reads, %,d trades: %s", size, name),
                    result.rate(),
                    "req/s",
                    result.p50Ms(),
                    result.p95Ms(),
                    result.p99Ms(),
                    result.errors(),
                    Double.NaN,
                    Double.NaN,
                    reference ? "-" : "GET /api/v1/trades/{id} (req/s)",
                    reference ? Double.NaN : byId.rate(),
                    ratio,
                    target.isEmpty() ? "reference" : target,
                    met,
                    List.of(result.rate()),
                    "wrk "
                        + CONNECTIONS
                        + " connections, "
                        + SECONDS
                        + " s"
                        + (largest
                            ? String.format("; %.2fx its rate at %,d trades", flat, smallest)
                            : "")
                        + (name.contains("statistics")
                            ? "; STATISTICS_CACHE_MS=0 (every call reads the counters)"
                            : ""))
                .write();
          });
    }
  }

  /** One statement, however many rows: the trigger adds the counters once for the whole insert. */
  private static void load(Pool pg, long size) {
    long started = System.nanoTime();
    Bench.progress("loading " + size + " trades");
    Await.result(pg.query("TRUNCATE trades").execute());
    Await.result(
        pg.preparedQuery(
                "INSERT INTO trades (trade_id, version, counter_party_id, book_id, maturity_date,"
                    + " created_date, expired) SELECT $1 || '-' || lpad(g::text, 9, '0'), 1, 'CP-'"
                    + " || (g % 97), 'B' || (g % $3), DATE '2099-12-31' - (g % 3650), current_date,"
                    + " g % 10 = 0 FROM generate_series(0, $2 - 1) g")
            .execute(Tuple.of(PREFIX, size, BOOKS)),
        Duration.ofMinutes(30));
    Await.result(pg.query("ANALYZE trades").execute(), Duration.ofMinutes(10));
    Bench.progress(
        String.format("loaded %,d trades in %.1f s", size, (System.nanoTime() - started) / 1e9));
  }

  /** EXPLAIN (ANALYZE, BUFFERS) of each read statement, with the arguments the benchmark sends. */
  private static String plans(Pool pg, long size) {
    String after = String.format("'%s-%09d'", PREFIX, size - 1_000);
    Map<String, String> statements = new LinkedHashMap<>();
    statements.put(
        "deep keyset page", TradeStore.LIST_AFTER.replace("$1", after).replace("$2", "51"));
    statements.put(
        "book keyset page",
        TradeStore.LIST_BY_BOOK_AFTER
            .replace("$1", "'B7'")
            .replace("$2", String.format("'%s-%09d'", PREFIX, size - 50 * BOOKS))
            .replace("$3", "51"));
    statements.put("book total", TradeStore.COUNT_BY_BOOK.replace("$1", "'B7'"));
    statements.put("statistics by book", TradeStore.COUNTERS_BY_BOOK.replace("$1", "1000"));
    StringBuilder out = new StringBuilder();
    statements.forEach(
        (name, sql) -> {
          out.append(String.format("-- %,d trades: %s%n", size, name));
          for (Row row : Await.result(pg.query("EXPLAIN (ANALYZE, BUFFERS) " + sql).execute())) {
            out.append(row.getString(0)).append('\n');
          }
          out.append('\n');
        });
    return out.toString();
  }
}
