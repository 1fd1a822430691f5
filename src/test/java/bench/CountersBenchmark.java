package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import store.PgPools;
import store.TradeStore;
import support.Await;
import support.ServiceProcess;
import support.TestInfra;

/**
 * What the trade counters cost a write, and that no writer waits on another for them:
 *
 * <ul>
 *   <li>the service's own upsert statement ({@link TradeStore#UPSERT}, its counting step and the
 *       counting triggers of {@code trades} included) in pgbench, one row per transaction, against
 *       the fixed reference ({@link Bench#REFERENCE}), alternating in the same run, with a trades
 *       JVM folding the deltas meanwhile; {@code pg_stat_activity} is sampled for lock waits;
 *   <li>two trades JVMs of one cluster taking the REST writes of an edge JVM in parallel, sampled
 *       the same way.
 * </ul>
 */
@Tag("benchmark")
class CountersBenchmark {
  private static final int PGBENCH_CLIENTS = 16;
  private static final int CONNECTIONS = 64;
  private static final Pattern BATCHES =
      Pattern.compile("(?m)^trades_upsert_batch_size_count(\\{[^}]*})? ([0-9.eE+-]+)$");

  private static Vertx vertx;
  private static Pool pg;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    pg = PgPools.create(vertx, TestInfra.config());
  }

  @AfterAll
  static void close() {
    Await.result(pg.close());
    Await.result(vertx.close());
  }

  @Test
  void theServiceStatementAgainstTheReference() {
    List<Double> service = new ArrayList<>();
    List<Double> reference = new ArrayList<>();
    List<String> waits = new ArrayList<>();
    int waitingSamples = 0;
    try (Bench.Service folder = Bench.startService("counters-folder", "trades", null)) {
      for (int run = 1; run <= Bench.RUNS; run++) {
        reference.add(Bench.referencePgbench(pg, run, PGBENCH_CLIENTS, Bench.SECONDS));
        try (LockWaits locks = LockWaits.watch(vertx, pg)) {
          service.add(
              Bench.pgbench(Bench.tradeUpsertScript("CTR" + run), PGBENCH_CLIENTS, Bench.SECONDS));
          waits.add(locks.describe());
          waitingSamples += locks.samplesWithWaits();
        }
        Bench.progress(
            String.format(
                "run %d: service statement %.0f tps, reference %.0f tps; %s",
                run, service.get(run - 1), reference.get(run - 1), waits.get(run - 1)));
      }
    }
    double ratio = Bench.median(service) / Bench.median(reference);
    new BenchRow(
            "Counters: the service's upsert statement (with its counting) in pgbench",
            Bench.median(service),
            "tps",
            Double.NaN,
            Double.NaN,
            Double.NaN,
            0,
            Double.NaN,
            Double.NaN,
            "pgbench, " + Bench.REFERENCE_NAME + ", " + PGBENCH_CLIENTS + " clients (tps)",
            Bench.median(reference),
            ratio,
            ">= 0.9x the reference; no lock waits",
            ratio >= 0.9 && waitingSamples == 0,
            service,
            PGBENCH_CLIENTS
                + " clients, 1 trade per transaction, a trades JVM folding the deltas each second;"
                + " reference runs "
                + reference.stream().map(v -> String.format("%.0f", v)).toList()
                + "; lock waits sampled every 20 ms: "
                + waits)
        .write();
  }

  @Test
  void twoTradesJvmsWriteInParallelWithoutLockWaits() {
    Map<String, String> cluster = new HashMap<>();
    cluster.putAll(
        Map.of(
            ConfigKeys.CLUSTER_ENABLED,
            "true",
            ConfigKeys.CLUSTER_NAME,
            "counters-" + UUID.randomUUID(),
            ConfigKeys.CLUSTER_PORT,
            Integer.toString(ServiceProcess.freeClusterPort()),
            ConfigKeys.CLUSTER_PORT_COUNT,
            "10",
            ConfigKeys.METRICS_ON_MANAGEMENT_PORT,
            "true"));
    List<Bench.Service> owners = new ArrayList<>();
    WebClient client = WebClient.create(vertx);
    try (Bench.Service first =
            Bench.startService("counters-owner-1", "trades,audit", cluster, List.of("-Xmx512m"));
        Bench.Service second =
            Bench.startService("counters-owner-2", "trades,audit", cluster, List.of("-Xmx512m"));
        Bench.Service edge =
            Bench.startService("counters-edge", "api", cluster, List.of("-Xmx512m"))) {
      owners.addAll(List.of(first, second));
      Bench.wrk(edge.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "CTW");
      List<Double> before = owners.stream().map(o -> batches(client, o)).toList();
      Bench.WrkResult result;
      String waits;
      int waitingSamples;
      try (LockWaits locks = LockWaits.watch(vertx, pg)) {
        result = Bench.wrk(edge.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "CT");
        waits = locks.describe();
        waitingSamples = locks.samplesWithWaits();
      }
      assertEquals(0, result.errors(), "every POST answered 201");
      Bench.assertStored(pg, "CT", result.requests(), CONNECTIONS);
      List<Double> written = new ArrayList<>();
      for (int i = 0; i < owners.size(); i++) {
        written.add(batches(client, owners.get(i)) - before.get(i));
      }
      assertTrue(
          written.stream().allMatch(batches -> batches > 0),
          "both trades JVMs wrote batches: " + written);
      Bench.progress(
          String.format(
              "two trades JVMs: %.0f req/s, upsert batches per JVM %s; %s",
              result.rate(), written, waits));
      new BenchRow(
              "Counters: two trades JVMs of one cluster writing in parallel",
              result.rate(),
              "req/s",
              result.p50Ms(),
              result.p95Ms(),
              result.p99Ms(),
              result.errors(),
              Double.NaN,
              Double.NaN,
              "none: lock waits counted",
              Double.NaN,
              Double.NaN,
              "no lock waits",
              waitingSamples == 0,
              List.of(result.rate()),
              "wrk "
                  + CONNECTIONS
                  + " connections on an edge JVM (api) for "
                  + Bench.SECONDS
                  + " s; upsert statements per trades JVM "
                  + written.stream().map(v -> String.format("%.0f", v)).toList()
                  + "; pg_stat_activity sampled every 20 ms: "
                  + waits)
          .write();
    } finally {
      client.close();
    }
  }

  private static double batches(WebClient client, Bench.Service service) {
    String metrics =
        Await.result(client.get(service.managementPort(), "127.0.0.1", "/metrics").send())
            .bodyAsString();
    Matcher count = BATCHES.matcher(metrics);
    return count.find() ? Double.parseDouble(count.group(2)) : 0;
  }
}
