package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Scopes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import security.Tokens;
import store.PgPools;
import support.Await;
import support.TestInfra;

/**
 * What the access checks cost on the hottest writes, at saturation with {@code wrk}: the same
 * service with them on (a bearer token on every request, checked for signature, expiry and the
 * scopes the contract declares; for a ledger transfer also the sender's owner, and an
 * Idempotency-Key kept with the transfer) and with them off (AUTH_ENABLED false, no key), the two
 * JVMs up side by side and their runs alternating, so machine noise hits both alike. Both get the
 * same requests, token included; the rate limit is raised in both (one wrk process is one client).
 * Each run checks its work: every request answered 201, and as many rows stored.
 */
@Tag("benchmark")
class AuthCostBenchmark {
  private static final int CONNECTIONS = 64;
  private static final int ACCOUNTS = 16;
  private static final String ROLES = "api,trades,audit,ledger,finpulse";
  private static Bench.Service open;
  private static Bench.Service guarded;
  private static Vertx vertx;
  private static Pool pg;

  @BeforeAll
  static void start() {
    // auth off in one JVM: what the checks cost is measured against the same service without them
    open =
        Bench.startService(
            "auth-off", ROLES, Map.of(ConfigKeys.AUTH_ENABLED, "false"), List.of("-Xmx1g"));
    guarded = Bench.startService("auth-on", ROLES, Map.of(), List.of("-Xmx1g"));
    vertx = Vertx.vertx();
    pg = PgPools.create(vertx, TestInfra.config());
  }

  @AfterAll
  static void stop() {
    open.close();
    guarded.close();
    Await.result(pg.close());
    Await.result(vertx.close());
  }

  @Test
  void tradesWithChecksOnAgainstOff() {
    Bench.progress("auth warm-up, " + Bench.WARMUP_SECONDS + " s each");
    Bench.wrk(open.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "AWO");
    Bench.wrk(guarded.url(), "trades.lua", CONNECTIONS, Bench.WARMUP_SECONDS, "AWN");
    Comparison trades = new Comparison();
    for (int run = 1; run <= Bench.RUNS; run++) {
      trades.add(
          run,
          Bench.wrk(guarded.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "AN" + run),
          Bench.wrk(open.url(), "trades.lua", CONNECTIONS, Bench.SECONDS, "AO" + run));
      assertStored(
          "SELECT count(*) FROM trades WHERE trade_id LIKE $1", "AN" + run + "-%", trades.lastOn());
      assertStored(
          "SELECT count(*) FROM trades WHERE trade_id LIKE $1",
          "AO" + run + "-%",
          trades.lastOff());
    }
    trades.write("REST POST /api/v1/trades with JWT auth", "HS256 operator token on every request");
  }

  @Test
  void ledgerTransfersWithOwnershipAndIdempotencyKeysAgainstNoChecks() {
    String accounts = "BENCH-" + UUID.randomUUID().toString().substring(0, 8);
    String customer = customerWithAccounts(accounts);
    String token =
        Tokens.sign(
            vertx,
            TestInfra.config(),
            new JsonObject()
                .put("sub", "bench-customer")
                .put("scope", Scopes.LEDGER_WRITE)
                .put(Scopes.CUSTOMER_ID_CLAIM, customer),
            120);
    String count = "SELECT count(*) FROM ledger_transactions WHERE receiver_account_id = $1";
    Bench.progress("ledger warm-up, " + Bench.WARMUP_SECONDS + " s each");
    Bench.wrkAs(
        token,
        guarded.url(),
        "transfers.lua",
        CONNECTIONS,
        Bench.WARMUP_SECONDS,
        "LWN",
        accounts,
        Integer.toString(ACCOUNTS),
        "keys");
    Bench.wrk(
        open.url(),
        "transfers.lua",
        CONNECTIONS,
        Bench.WARMUP_SECONDS,
        "LWO",
        accounts,
        Integer.toString(ACCOUNTS),
        "nokeys");
    Comparison transfers = new Comparison();
    for (int run = 1; run <= Bench.RUNS; run++) {
      transfers.add(
          run,
          Bench.wrkAs(
              token,
              guarded.url(),
              "transfers.lua",
              CONNECTIONS,
              Bench.SECONDS,
              "LN" + run,
              accounts,
              Integer.toString(ACCOUNTS),
              "keys"),
          Bench.wrk(
              open.url(),
              "transfers.lua",
              CONNECTIONS,
              Bench.SECONDS,
              "LO" + run,
              accounts,
              Integer.toString(ACCOUNTS),
              "nokeys"));
      assertStored(count, "LN" + run + "-sink", transfers.lastOn());
      assertStored(count, "LO" + run + "-sink", transfers.lastOff());
    }
    transfers.write(
        "REST POST /api/v1/blockchain/transfers with ownership and Idempotency-Key",
        "a customer's token (ledger:write, customer_id) and a new Idempotency-Key on every"
            + " transfer, out of "
            + ACCOUNTS
            + " accounts of that customer; off: auth off, no key");
  }

  /**
   * A customer with {@value #ACCOUNTS} accounts, each seeded with a billion: created as staff on
   * the guarded JVM.
   */
  private static String customerWithAccounts(String prefix) {
    WebClient staff =
        TestInfra.withToken(
            WebClient.create(
                vertx,
                new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(guarded.port())),
            "Bearer " + Bench.operatorToken());
    try {
      String customer =
          created(staff, "/api/v1/customers", new JsonObject().put("name", prefix))
              .getString("customer_id");
      for (int i = 0; i < ACCOUNTS; i++) {
        created(
            staff,
            "/api/v1/accounts",
            new JsonObject()
                .put("account_id", prefix + "-" + i)
                .put("customer_id", customer)
                .put("account_type", "cash")
                .put("currency", "EUR"));
        created(
            staff,
            "/api/v1/blockchain/seed-balance",
            new JsonObject().put("account_id", prefix + "-" + i).put("amount", "1000000000"));
      }
      return customer;
    } finally {
      staff.close();
    }
  }

  private static JsonObject created(WebClient client, String path, JsonObject body) {
    var response = Await.result(client.post(path).sendJsonObject(body));
    assertEquals(201, response.statusCode(), response::bodyAsString);
    return response.bodyAsJsonObject();
  }

  /**
   * Every answered request stored; those still in flight when wrk stopped may be stored too, at
   * most one per connection.
   */
  private static void assertStored(String sql, String key, Bench.WrkResult run) {
    long stored =
        Await.result(pg.preparedQuery(sql).execute(Tuple.of(key))).iterator().next().getLong(0);
    assertTrue(
        stored >= run.requests() && stored <= run.requests() + CONNECTIONS,
        key + ": " + run.requests() + " answered 201, " + stored + " stored");
  }

  /** Runs with the checks on and off, alternating; written as one row, the ratio on/off. */
  private static final class Comparison {
    final List<Bench.WrkResult> on = new ArrayList<>();
    final List<Bench.WrkResult> off = new ArrayList<>();

    void add(int run, Bench.WrkResult checked, Bench.WrkResult unchecked) {
      assertEquals(
          0, checked.errors() + unchecked.errors(), "run " + run + ": every request answered 201");
      on.add(checked);
      off.add(unchecked);
      Bench.progress(
          String.format(
              "run %d: checks on %.0f req/s, off %.0f req/s",
              run, checked.rate(), unchecked.rate()));
    }

    Bench.WrkResult lastOn() {
      return on.get(on.size() - 1);
    }

    Bench.WrkResult lastOff() {
      return off.get(off.size() - 1);
    }

    void write(String workload, String what) {
      List<Double> onRates = on.stream().map(Bench.WrkResult::rate).toList();
      List<Double> offRates = off.stream().map(Bench.WrkResult::rate).toList();
      new BenchRow(
              workload,
              Bench.median(onRates),
              "req/s",
              Bench.median(on.stream().map(Bench.WrkResult::p50Ms).toList()),
              Bench.median(on.stream().map(Bench.WrkResult::p95Ms).toList()),
              Bench.median(on.stream().map(Bench.WrkResult::p99Ms).toList()),
              0,
              Double.NaN,
              Double.NaN,
              "same service, checks off (req/s)",
              Bench.median(offRates),
              Bench.median(onRates) / Bench.median(offRates),
              "cost of the checks, reported",
              true,
              onRates,
              "wrk "
                  + CONNECTIONS
                  + " connections, "
                  + what
                  + "; runs alternate with the checks off "
                  + offRates.stream().map(v -> String.format("%.0f", v)).toList())
          .write();
    }
  }
}
