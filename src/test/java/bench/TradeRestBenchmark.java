package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import store.PgPools;
import support.Await;
import support.TestInfra;

/**
 * REST {@code POST /api/v1/trades} (durable, validated, audited) at saturation with {@code wrk},
 * against {@code pgbench} running the reference statement ({@link Bench#REFERENCE}: the bare
 * guarded upsert, one row per transaction), alternating in the same run; then the latency at half
 * the peak rate with an open-loop Vert.x client; then the audit's share of the service's CPU
 * samples from a JFR recording of the whole run.
 */
@Tag("benchmark")
class TradeRestBenchmark {
  private static final int CONNECTIONS = 64;
  private static final int PGBENCH_CLIENTS = 16;

  @Test
  void restAgainstPgbench() {
    Vertx vertx = Vertx.vertx();
    Pool pg = PgPools.create(vertx, TestInfra.config());
    List<Double> rest = new ArrayList<>();
    List<Double> pgbench = new ArrayList<>();
    List<Bench.WrkResult> results = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    Bench.Service service =
        Bench.startService(
            "rest", System.getProperty("bench.restRoles", "api,trades,audit"), "rest");
    try {
      Bench.progress("REST warm-up " + Bench.WARMUP_SECONDS + " s");
      Bench.wrk(service.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "warm");
      for (int run = 1; run <= Bench.RUNS; run++) {
        Bench.clearAudit(vertx, service);
        pgbench.add(Bench.referencePgbench(pg, run, PGBENCH_CLIENTS, Bench.SECONDS));
        Bench.progress(
            "run "
                + run
                + "/"
                + Bench.RUNS
                + ": wrk, "
                + CONNECTIONS
                + " connections, "
                + Bench.SECONDS
                + " s");
        Bench.CpuWindow window = new Bench.CpuWindow(service.process());
        Bench.WrkResult result =
            Bench.wrk(service.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "R" + run);
        cpu.add(window.cores());
        assertEquals(0, result.errors(), "run " + run + ": every POST answered 201");
        Bench.assertStored(pg, "R" + run, result.requests(), CONNECTIONS);
        results.add(result);
        rest.add(result.rate());
        Bench.progress(
            String.format(
                "run %d: REST %.0f req/s (p99 %.1f ms), pgbench %.0f tps",
                run, result.rate(), result.p99Ms(), pgbench.get(pgbench.size() - 1)));
      }
      int halfRate = (int) (Bench.median(rest) / 2);
      Bench.clearAudit(vertx, service);
      Bench.progress(
          "open loop at half the peak: " + halfRate + " req/s for " + Bench.SECONDS + " s");
      OpenLoop.Result half = halfPeak(vertx, service, halfRate);
      long peakRss = service.process().peakRssBytes();
      service.close();
      Profile profile = Profile.read(Bench.DIRECTORY.resolve("rest.jfr"));
      report(rest, pgbench, results, cpu, peakRss, halfRate, half, profile);
    } finally {
      service.close();
      Await.result(pg.close());
      Await.result(vertx.close());
    }
  }

  private static void report(
      List<Double> rest,
      List<Double> pgbench,
      List<Bench.WrkResult> results,
      List<Double> cpu,
      long peakRss,
      int halfRate,
      OpenLoop.Result half,
      Profile profile) {
    double ratio = Bench.median(rest) / Bench.median(pgbench);
    new BenchRow(
            "REST POST /api/v1/trades",
            Bench.median(rest),
            "req/s",
            Bench.median(results.stream().map(Bench.WrkResult::p50Ms).toList()),
            Bench.median(results.stream().map(Bench.WrkResult::p95Ms).toList()),
            Bench.median(results.stream().map(Bench.WrkResult::p99Ms).toList()),
            results.stream().mapToLong(Bench.WrkResult::errors).sum(),
            Bench.median(cpu),
            Bench.mb(peakRss),
            "pgbench, " + Bench.REFERENCE_NAME + ", " + PGBENCH_CLIENTS + " clients (tps)",
            Bench.median(pgbench),
            ratio,
            ">= 1.0x the reference, auth and audit on",
            ratio >= 1.0,
            rest,
            "wrk "
                + CONNECTIONS
                + " connections, unique ids, "
                + Bench.SECONDS
                + " s per run; every 201 counted as a stored row; "
                + "pgbench runs "
                + pgbench.stream().map(v -> String.format("%.0f", v)).toList()
                + String.format(
                    "; service JVM CPU %.0f µs per request (infrastructure in other processes)",
                    Bench.median(cpu) * 1e6 / Bench.median(rest)))
        .write();
    new BenchRow(
            "REST POST /api/v1/trades at half the peak rate",
            halfRate,
            "req/s (offered)",
            half.p50Ms(),
            half.p95Ms(),
            half.p99Ms(),
            half.failed(),
            Double.NaN,
            Bench.mb(peakRss),
            "-",
            Double.NaN,
            Double.NaN,
            "p99 < 25 ms",
            half.p99Ms() < 25,
            List.of((double) halfRate),
            "open-loop Vert.x client, latency from each request's due time; max "
                + half.maxMs()
                + " ms")
        .write();
    double audit = profile.share(Profile.AUDIT);
    new BenchRow(
            "Audit share of service CPU (REST run, JFR)",
            100 * audit,
            "% of samples",
            Double.NaN,
            Double.NaN,
            Double.NaN,
            0,
            Double.NaN,
            Double.NaN,
            "-",
            Double.NaN,
            Double.NaN,
            "<= 15%",
            audit <= 0.15,
            List.of(),
            profile.sampleCount()
                + " execution samples over the whole REST run; hottest: "
                + profile.hottest(8))
        .write();
  }

  private static OpenLoop.Result halfPeak(Vertx vertx, Bench.Service service, int rate) {
    WebClient client =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(service.port()),
            new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    try {
      OpenLoop.Result result =
          OpenLoop.warmedUp(
              vertx,
              rate,
              Bench.SECONDS,
              i ->
                  client
                      .post("/api/v1/trades")
                      .putHeader("Authorization", "Bearer " + Bench.operatorToken())
                      .sendJsonObject(
                          new JsonObject()
                              .put("trade_id", "H-" + System.nanoTime() + "-" + i)
                              .put("version", 1)
                              .put("counter_party_id", "CP-1")
                              .put("book_id", "B" + i % 20)
                              .put("maturity_date", "2099-12-31"))
                      .compose(
                          response ->
                              response.statusCode() == 201
                                  ? Future.succeededFuture()
                                  : Future.failedFuture("status " + response.statusCode())));
      assertEquals(0, result.failed(), "every open-loop POST answered 201");
      return result;
    } finally {
      client.close();
    }
  }
}
