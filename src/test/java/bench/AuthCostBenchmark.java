package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What JWT auth costs on the hottest write: REST {@code POST /api/v1/trades} at saturation with {@code wrk},
 * the same service with auth on (every request carries a bearer token with the {@code trades:write} scope, checked
 * for signature, expiry and scope) and with auth off, the two JVMs up side by side and their runs alternating,
 * so machine noise hits both alike. Both get the same requests, token included; the rate limit is raised in both
 * (one wrk process is one client).
 */
@Tag("benchmark")
class AuthCostBenchmark {
  private static final int CONNECTIONS = 64;
  private static final String ROLES = "api,trades,audit";

  @Test
  void authOnAgainstAuthOff() {
    List<Double> on = new ArrayList<>();
    List<Double> off = new ArrayList<>();
    List<Bench.WrkResult> onResults = new ArrayList<>();
    // auth off in one JVM: what auth costs is measured against the same service without it
    try (Bench.Service open = Bench.startService("auth-off", ROLES, Map.of(ConfigKeys.AUTH_ENABLED, "false"),
            List.of("-Xmx1g"));
        Bench.Service guarded = Bench.startService("auth-on", ROLES, Map.of(), List.of("-Xmx1g"))) {
      Bench.progress("auth warm-up, " + Bench.WARMUP_SECONDS + " s each");
      Bench.wrk(open.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "AWO");
      Bench.wrk(guarded.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "AWN");
      for (int run = 1; run <= Bench.RUNS; run++) {
        Bench.WrkResult withoutAuth = Bench.wrk(open.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "AO" + run);
        Bench.WrkResult withAuth = Bench.wrk(guarded.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "AN" + run);
        assertEquals(0, withoutAuth.errors() + withAuth.errors(), "run " + run + ": every POST answered 201");
        off.add(withoutAuth.rate());
        on.add(withAuth.rate());
        onResults.add(withAuth);
        Bench.progress(String.format("run %d: auth on %.0f req/s, auth off %.0f req/s", run, withAuth.rate(),
            withoutAuth.rate()));
      }
    }
    double ratio = Bench.median(on) / Bench.median(off);
    new BenchRow("REST POST /api/v1/trades with JWT auth", Bench.median(on), "req/s",
        Bench.median(onResults.stream().map(Bench.WrkResult::p50Ms).toList()),
        Bench.median(onResults.stream().map(Bench.WrkResult::p95Ms).toList()),
        Bench.median(onResults.stream().map(Bench.WrkResult::p99Ms).toList()),
        0, Double.NaN, Double.NaN, "same service, auth off (req/s)", Bench.median(off), ratio,
        "cost of auth, reported", true, on,
        "wrk " + CONNECTIONS + " connections, HS256 operator token on every request; runs alternate "
            + "with auth off " + off.stream().map(v -> String.format("%.0f", v)).toList()).write();
  }
}
