package bench;

import audit.Audit;
import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import store.TradeStore;
import support.Await;
import support.ServiceProcess;
import support.TestInfra;

/**
 * What every benchmark shares: its sizes (system properties), the service as a JVM of its own (so
 * its CPU and memory are read apart from the servers and the load), and the external load
 * generators ({@code wrk}, {@code pgbench}), each bounded in time and on 127.0.0.1.
 */
final class Bench {
  /** Measured runs per workload; figures are their medians. */
  static final int RUNS = Integer.getInteger("bench.runs", 3);

  /** Length of one timed run of a duration-bound workload. */
  static final int SECONDS = Integer.getInteger("bench.seconds", 15);

  static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 15);
  static final Path DIRECTORY = BenchRow.DIRECTORY;

  /**
   * One load generator is one client to the rate limit, and would measure the limit: raised far
   * past any rate here, while the limiter stays in the chain.
   */
  private static final Map<String, String> LOAD_LIMITS =
      Map.of(
          ConfigKeys.RATE_LIMIT_PER_SECOND, "100000000", ConfigKeys.RATE_LIMIT_BURST, "100000000");

  private static String operatorToken;

  private Bench() {}

  /**
   * The service on its own ports with only {@code roles}, and a JFR recording when {@code profile}
   * names one.
   */
  static Service startService(String name, String roles, String profile) {
    return startService(name, roles, Map.of(), List.of("-Xmx1g"), profile);
  }

  /** With extra settings and JVM options (a heap size, say). */
  static Service startService(
      String name, String roles, Map<String, String> extra, List<String> jvmOptions) {
    return startService(name, roles, extra, jvmOptions, null);
  }

  private static Service startService(
      String name,
      String roles,
      Map<String, String> extra,
      List<String> jvmOptions,
      String profile) {
    Map<String, String> settings = new HashMap<>(Map.of(ConfigKeys.ROLES, roles));
    settings.putAll(LOAD_LIMITS);
    settings.putAll(extra);
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.add("-XX:+UseParallelGC");
    if (profile != null) {
      write(DIRECTORY.resolve(profile + ".jfr"), ""); // JFR does not create the directory
      jvm.add(
          "-XX:StartFlightRecording=filename="
              + DIRECTORY.resolve(profile + ".jfr").toAbsolutePath()
              + ",settings=default,dumponexit=true"); // default: sampling every 20 ms, low overhead
    }
    return new Service(ServiceProcess.start("bench-" + name, settings, jvm));
  }

  /** A running service and its HTTP, WebSocket and management (metrics) ports, as it bound them. */
  record Service(ServiceProcess process) implements AutoCloseable {
    int port() {
      return process.httpPort();
    }

    int pushPort() {
      return process.port(ConfigKeys.PUSH_HTTP_PORT);
    }

    int managementPort() {
      return process.port(ConfigKeys.MANAGEMENT_PORT);
    }

    String url() {
      return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
      process.close();
    }
  }

  /** Service CPU over a window, in cores: call {@link #cores()} at its end. */
  static final class CpuWindow {
    private final ServiceProcess process;
    private final double startCpu;
    private final long startNanos = System.nanoTime();

    CpuWindow(ServiceProcess process) {
      this.process = process;
      this.startCpu = process.cpuSeconds();
    }

    double cores() {
      return (process.cpuSeconds() - startCpu) / ((System.nanoTime() - startNanos) / 1e9);
    }
  }

  /** An operator's token (every scope) for the load generators: auth stays on, as it ships. */
  static synchronized String operatorToken() {
    if (operatorToken == null) {
      Vertx vertx = Vertx.vertx();
      try {
        operatorToken =
            TestInfra.bearer(vertx, "bench", TestInfra.OPERATOR_SCOPES)
                .substring("Bearer ".length());
      } finally {
        Await.result(vertx.close());
      }
    }
    return operatorToken;
  }

  /** What {@code wrk} measured, from the JSON line its Lua {@code done()} prints. */
  record WrkResult(
      long requests, double seconds, double p50Ms, double p95Ms, double p99Ms, long errors) {
    double rate() {
      return requests / seconds;
    }
  }

  /**
   * Runs {@code wrk} with a script from {@code src/test/resources/bench/} that prints {@code
   * WRK_RESULT {...}}. {@code args} reach the script's {@code init}.
   */
  static WrkResult wrk(String url, String script, int connections, int seconds, String... args) {
    return wrkAs(operatorToken(), url, script, connections, seconds, args);
  }

  /** As {@link #wrk}, every request with this bearer token (a customer's, say). */
  static WrkResult wrkAs(
      String token, String url, String script, int connections, int seconds, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + seconds + "s",
                "--timeout",
                "10s",
                "-s",
                Path.of("src/test/resources/bench", script).toString(),
                url));
    if (args.length > 0) {
      command.add("--");
      command.addAll(List.of(args));
    }
    String output =
        run(command, Map.of("WRK_BEARER_TOKEN", token), Duration.ofSeconds(seconds + 60));
    Matcher line = Pattern.compile("WRK_RESULT (\\{.*})").matcher(output);
    if (!line.find()) {
      throw new IllegalStateException("wrk printed no result:\n" + output);
    }
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(line.group(1));
    return new WrkResult(
        json.getLong("requests"),
        json.getLong("duration_us") / 1e6,
        json.getLong("p50_us") / 1e3,
        json.getLong("p95_us") / 1e3,
        json.getLong("p99_us") / 1e3,
        json.getLong("errors"));
  }

  /**
   * {@code pgbench} running {@code sql} (with pgbench {@code \set} lines) as one transaction per
   * execution, prepared, from {@code clients} connections for {@code seconds}.
   *
   * @return transactions per second
   */
  static double pgbench(String sql, int clients, int seconds) {
    Path script = DIRECTORY.resolve("pgbench-" + Math.abs(sql.hashCode()) + ".sql");
    write(script, sql);
    return pgbenchFile(script, clients, seconds);
  }

  private static double pgbenchFile(Path script, int clients, int seconds) {
    URI uri =
        URI.create(
            TestInfra.config().getString(ConfigKeys.PG_URI).replaceFirst("^postgres(ql)?", "http"));
    String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
    String output =
        run(
            List.of(
                "pgbench",
                "-n",
                "-M",
                "prepared",
                "-c",
                Integer.toString(clients),
                "-j",
                "2",
                "-T",
                Integer.toString(seconds),
                "-f",
                script.toString(),
                "-h",
                uri.getHost(),
                "-p",
                Integer.toString(uri.getPort()),
                "-U",
                user,
                uri.getPath().substring(1)),
            Map.of(),
            Duration.ofSeconds(seconds + 60));
    Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
    if (!tps.find()) {
      throw new IllegalStateException("pgbench printed no tps:\n" + output);
    }
    return Double.parseDouble(tps.group(1));
  }

  /**
   * Waits until the audit writer caught up with the run before (its buffer drains at MongoDB's
   * pace), then empties the audit collection: the MongoDB stand-in keeps every document in its
   * heap, and the next run should not pay for the garbage collection of the runs before it. Reads
   * {@code audit_buffered} from /metrics.
   */
  static void clearAudit(Vertx vertx, Service service) {
    WebClient client = WebClient.create(vertx);
    MongoClient mongo =
        MongoClient.create(
            vertx,
            new JsonObject()
                .put(
                    "connection_string",
                    TestInfra.config().getString(ConfigKeys.MONGO_CONNECTION_STRING))
                .put("db_name", "tradestore"));
    try {
      Await.until(
          "the audit buffer drained",
          Duration.ofMinutes(5),
          () -> {
            String metrics =
                Await.result(client.get(service.managementPort(), "127.0.0.1", "/metrics").send())
                    .bodyAsString();
            Matcher buffered =
                Pattern.compile("(?m)^audit_buffered(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
            return !buffered.find() || Double.parseDouble(buffered.group(2)) == 0;
          });
      Await.result(mongo.dropCollection(Audit.AUDIT_LOGS).recover(e -> Future.succeededFuture()));
    } finally {
      client.close();
      mongo.close();
    }
  }

  /**
   * Every answered write of a run stored: trades whose id starts with {@code prefix + "-"}. wrk
   * counts the answers it read, so a request in flight when it stopped may be stored too, at most
   * one per connection.
   */
  static void assertStored(Pool pg, String prefix, long answered, int connections) {
    long stored =
        Await.result(
                pg.preparedQuery("SELECT count(*) FROM trades WHERE starts_with(trade_id, $1)")
                    .execute(Tuple.of(prefix + "-")))
            .iterator()
            .next()
            .getLong(0);
    if (stored < answered || stored > answered + connections) {
      throw new AssertionError(prefix + ": " + answered + " answered 2xx, " + stored + " stored");
    }
  }

  /**
   * The fixed reference of every "x pgbench" ratio: {@code ../shared/bench/upsert.sql}, the bare
   * guarded upsert one row per transaction, used as it is (never copied into the project), on a
   * table made {@code LIKE trades INCLUDING ALL} (columns, keys and indexes, none of the triggers),
   * as its README says. {@code -Dbench.reference=PATH} names another copy of the file.
   */
  static final Path REFERENCE =
      Path.of(System.getProperty("bench.reference", "../shared/bench/upsert.sql"));

  static final String REFERENCE_NAME = "reference upsert.sql, 1 row/transaction";

  /**
   * The reference statement in pgbench, on a {@code bench_trades} made afresh for the workload's
   * first run.
   *
   * @return transactions per second
   */
  static double referencePgbench(Pool pg, int run, int clients, int seconds) {
    progress(
        "run "
            + run
            + "/"
            + RUNS
            + ": pgbench, the reference, "
            + clients
            + " clients, "
            + seconds
            + " s");
    boolean fresh = run == 1;
    if (!Files.isReadable(REFERENCE)) {
      throw new IllegalStateException(
          "the reference statement "
              + REFERENCE.toAbsolutePath()
              + " is missing: the ratios are measured against it (-Dbench.reference=PATH)");
    }
    if (fresh) {
      Await.result(pg.query("DROP TABLE IF EXISTS bench_trades").execute());
      Await.result(pg.query("CREATE TABLE bench_trades (LIKE trades INCLUDING ALL)").execute());
    }
    return pgbenchFile(REFERENCE, clients, seconds);
  }

  /**
   * The trade store's guarded upsert with one row, as a pgbench script: what the database does one
   * transaction at a time. Ids are {@code <prefix>-<random>}.
   */
  static String tradeUpsertScript(String prefix) {
    return "\\set n random(1, 1000000000000)\n"
        + TradeStore.UPSERT
            .replace("$1", "ARRAY['" + prefix + "-' || :n]")
            .replace("$2", "ARRAY[1]")
            .replace("$3", "ARRAY['CP-1']")
            .replace("$4", "ARRAY['B1']")
            .replace("$5", "ARRAY[DATE '2099-12-31']")
            .replace("$6", "ARRAY[current_date]")
            .replace("$7", "ARRAY['rest']")
            .replace("$8", "ARRAY[]::varchar[]")
            .strip()
        + ";\n";
  }

  /**
   * Runs a load generator to its end (it stops itself), echoing its output live to the terminal.
   */
  static String run(List<String> command, Map<String, String> environment, Duration timeout) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      StringBuilder output = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
                  lines
                      .lines()
                      .forEach(
                          line -> {
                            output.append(line).append('\n');
                            progress("  " + command.get(0) + " | " + line);
                          });
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not stop within " + timeout);
      }
      reader.join();
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            command.get(0) + " exited with " + process.exitValue() + ":\n" + output);
      }
      return output.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "is " + command.get(0) + " installed? deploy/bench.sh installs it", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Live progress on the terminal (surefire passes the test JVM's stdout through). */
  static void progress(String line) {
    System.out.println("[bench] " + line);
    System.out.flush();
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
