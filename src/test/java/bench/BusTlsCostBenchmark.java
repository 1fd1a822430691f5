package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import store.PgPools;
import support.Await;
import support.ServiceProcess;
import support.TestInfra;

/**
 * What mutual TLS on the clustered event bus costs on the clustered REST path: POST /api/v1/trades
 * at saturation ({@code wrk}) on an edge JVM (api) whose every write crosses the bus to the trade
 * store in another JVM (trades, audit) and back. Two such clusters run side by side, identical but
 * for the bus certificates (both in dev mode, which alone allows a plaintext bus), and their runs
 * alternate, so machine noise hits both alike. Each run checks its work: every request answered
 * 201, and as many trades stored.
 */
@Tag("benchmark")
class BusTlsCostBenchmark {
  private static final int CONNECTIONS = 64;
  private static final List<Bench.Service> services = new ArrayList<>();
  private static Bench.Service tlsEdge;
  private static Bench.Service plainEdge;
  private static Vertx vertx;
  private static Pool pg;

  @BeforeAll
  static void start() {
    tlsEdge = cluster("tls", Map.of());
    plainEdge =
        cluster(
            "plain",
            Map.of(
                ConfigKeys.EVENTBUS_TLS_CERT_PATH,
                "",
                ConfigKeys.EVENTBUS_TLS_KEY_PATH,
                "",
                ConfigKeys.EVENTBUS_TLS_CA_PATH,
                ""));
    vertx = Vertx.vertx();
    pg = PgPools.create(vertx, TestInfra.config());
  }

  /** A trade-store JVM, then an edge JVM joining it; returns the edge. */
  private static Bench.Service cluster(String name, Map<String, String> bus) {
    Map<String, String> settings = new HashMap<>(bus);
    settings.putAll(
        Map.of(
            ConfigKeys.DEV_MODE,
            "true",
            ConfigKeys.CLUSTER_ENABLED,
            "true",
            ConfigKeys.CLUSTER_NAME,
            "bus-" + name + "-" + UUID.randomUUID(),
            ConfigKeys.CLUSTER_PORT,
            Integer.toString(ServiceProcess.freeClusterPort()),
            ConfigKeys.CLUSTER_PORT_COUNT,
            "10",
            ConfigKeys.METRICS_ON_MANAGEMENT_PORT,
            "true",
            ConfigKeys.AUTH_READS,
            "token"));
    services.add(
        Bench.startService(
            "bus-" + name + "-owner", "trades,audit", settings, List.of("-Xmx512m")));
    Bench.Service edge =
        Bench.startService("bus-" + name + "-edge", "api", settings, List.of("-Xmx512m"));
    services.add(edge);
    return edge;
  }

  @AfterAll
  static void stop() {
    services.forEach(Bench.Service::close);
    Await.result(pg.close());
    Await.result(vertx.close());
  }

  @Test
  void clusteredWritesWithTheBusOnTlsAgainstPlaintext() {
    Bench.progress("bus TLS warm-up, " + Bench.WARMUP_SECONDS + " s each");
    Bench.wrk(plainEdge.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "BWP");
    Bench.wrk(tlsEdge.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "BWT");
    List<Bench.WrkResult> tls = new ArrayList<>();
    List<Bench.WrkResult> plain = new ArrayList<>();
    for (int run = 1; run <= Bench.RUNS; run++) {
      Bench.WrkResult encrypted =
          Bench.wrk(tlsEdge.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "BT" + run);
      Bench.WrkResult open =
          Bench.wrk(plainEdge.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "BP" + run);
      assertEquals(
          0, encrypted.errors() + open.errors(), "run " + run + ": every request answered 201");
      Bench.assertStored(pg, "BT" + run, encrypted.requests(), CONNECTIONS);
      Bench.assertStored(pg, "BP" + run, open.requests(), CONNECTIONS);
      tls.add(encrypted);
      plain.add(open);
      Bench.progress(
          String.format(
              "run %d: bus TLS %.0f req/s (p99 %.1f ms), plaintext %.0f req/s (p99 %.1f ms)",
              run, encrypted.rate(), encrypted.p99Ms(), open.rate(), open.p99Ms()));
    }
    List<Double> tlsRates = tls.stream().map(Bench.WrkResult::rate).toList();
    List<Double> plainRates = plain.stream().map(Bench.WrkResult::rate).toList();
    new BenchRow(
            "Clustered REST POST /api/v1/trades over a mutual-TLS bus",
            Bench.median(tlsRates),
            "req/s",
            Bench.median(tls.stream().map(Bench.WrkResult::p50Ms).toList()),
            Bench.median(tls.stream().map(Bench.WrkResult::p95Ms).toList()),
            Bench.median(tls.stream().map(Bench.WrkResult::p99Ms).toList()),
            0,
            Double.NaN,
            Double.NaN,
            "same cluster, plaintext bus (req/s)",
            Bench.median(plainRates),
            Bench.median(tlsRates) / Bench.median(plainRates),
            "cost of bus TLS, reported",
            true,
            tlsRates,
            "wrk "
                + CONNECTIONS
                + " connections on an edge JVM (api), trade store in a second JVM; runs alternate"
                + " with a plaintext cluster: "
                + plainRates.stream().map(v -> String.format("%.0f", v)).toList()
                + " req/s, p99 "
                + plain.stream().map(r -> String.format("%.1f", r.p99Ms())).toList()
                + " ms")
        .write();
  }
}
