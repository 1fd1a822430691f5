package support;

import contract.ConfigKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * The service as a separate JVM ({@code app.Main} on the test classpath) against the test's
 * servers, so a test can {@code kill -9} it and a benchmark can read its own CPU time and memory
 * apart from the servers and the load. Its output goes to {@code target/services/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final String READY_LINE = "Service ready in";

  /** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)). */
  private static final int CLOCK_TICKS_PER_SECOND = 100;

  /** The ports the ready line names: {@code listening on 127.0.0.1 (HTTP_PORT=41000, ...)}. */
  private static final Pattern LISTENERS = Pattern.compile("listening on \\S+ \\(([^)]*)\\)");

  private final Process process;
  private final Path log;

  /** What the service bound (a setting of 0 binds any free port), read from its ready line. */
  private Map<String, Integer> ports = Map.of();

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts every role with the given extra settings, and returns once the service logged it is
   * ready.
   */
  public static ServiceProcess start(String name, Map<String, String> settings) {
    return start(name, settings, List.of("-Xmx768m", "-XX:+UseParallelGC"));
  }

  /** As {@link #start(String, Map)}, with the given JVM options (heap, GC, a JFR recording). */
  public static ServiceProcess start(
      String name, Map<String, String> settings, List<String> jvmOptions) {
    List<String> arguments = new ArrayList<>(jvmOptions);
    arguments.addAll(List.of("-cp", System.getProperty("java.class.path"), "app.Main"));
    return launch(name, settings, arguments);
  }

  /**
   * The packaged jar ({@link ServiceJar}), as operators run it: {@code java -jar}, with a small
   * heap.
   */
  public static ServiceProcess startJar(String name, Map<String, String> settings) {
    return launch(
        name,
        settings,
        List.of("-Xmx384m", "-XX:+UseSerialGC", "-jar", ServiceJar.path().toString()));
  }

  private static ServiceProcess launch(
      String name, Map<String, String> settings, List<String> javaArguments) {
    Path log = Path.of("target", "services", name + ".log");
    try {
      Files.createDirectories(log.getParent());
      List<String> command =
          new ArrayList<>(
              List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(javaArguments);
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      TestInfra.serviceSettings()
          .forEach(e -> builder.environment().put(e.getKey(), String.valueOf(e.getValue())));
      // each server binds a free port once; the test reads which from the ready line (port())
      builder.environment().put(ConfigKeys.HTTP_PORT, "0");
      builder.environment().put(ConfigKeys.PUSH_HTTP_PORT, "0");
      builder.environment().put(ConfigKeys.MANAGEMENT_PORT, "0");
      // a null setting removes the variable (a test of the seeds' names drops ours)
      settings.forEach(
          (variable, value) -> {
            if (value == null) {
              builder.environment().remove(variable);
            } else {
              builder.environment().put(variable, value);
            }
          });
      ServiceProcess service = new ServiceProcess(builder.start(), log);
      service.awaitReady();
      service.ports = service.boundPorts();
      if (service.servesApi()) {
        ContractCheck.serving(service.httpPort());
      }
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A base port with the next ten free, for the Hazelcast members a test starts on this machine
   * (CLUSTER_PORT; they take the ports from it up).
   */
  public static int freeClusterPort() {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + random.nextInt(30_000);
      boolean free = true;
      for (int port = base; port < base + 10 && free; port++) {
        try (java.net.ServerSocket probe =
            new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
          free = probe.getLocalPort() == port;
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no ten free ports in a row for the cluster");
  }

  private void awaitReady() {
    Await.until(
        READY_LINE + " in " + log,
        READY,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                "the service exited with status "
                    + process.exitValue()
                    + " before it was ready; see "
                    + log);
          }
          return logContains(READY_LINE);
        });
  }

  private Map<String, Integer> boundPorts() {
    Matcher listeners = LISTENERS.matcher(logText());
    if (!listeners.find()) {
      throw new IllegalStateException("the ready line names no ports; see " + log);
    }
    Map<String, Integer> bound = new HashMap<>();
    for (String listener : listeners.group(1).split(",\\s*")) {
      String[] keyAndPort = listener.split("=");
      if (keyAndPort.length == 2) {
        bound.put(keyAndPort[0], Integer.parseInt(keyAndPort[1]));
      }
    }
    return Map.copyOf(bound);
  }

  /** The port the server named by {@code setting} (e.g. {@link ConfigKeys#HTTP_PORT}) bound. */
  public int port(String setting) {
    Integer port = ports.get(setting);
    if (port == null) {
      throw new IllegalStateException(setting + " is not served by this process " + ports);
    }
    return port;
  }

  /** The REST API's port. */
  public int httpPort() {
    return port(ConfigKeys.HTTP_PORT);
  }

  private boolean servesApi() {
    return ports.containsKey(ConfigKeys.HTTP_PORT);
  }

  /** The milliseconds from the JVM's start until the service said it was ready. */
  public long readyMillis() {
    try {
      Matcher ready =
          Pattern.compile(READY_LINE + " (\\d+) ms")
              .matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (!ready.find()) {
        throw new IllegalStateException("no ready line in " + log);
      }
      return Long.parseLong(ready.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean logContains(String text) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  public long pid() {
    return process.pid();
  }

  /** User plus system CPU time the service's JVM has used so far, from /proc. */
  public double cpuSeconds() {
    String stat = readProc("stat");
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name: state is field 3 of stat(5); utime and stime are fields 14 and 15.
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12]))
        / (double) CLOCK_TICKS_PER_SECOND;
  }

  /** The resident set now (VmRSS) and at its peak (VmHWM), in bytes. */
  public long rssBytes() {
    return statusKilobytes("VmRSS:") * 1024;
  }

  public long peakRssBytes() {
    return statusKilobytes("VmHWM:") * 1024;
  }

  private long statusKilobytes(String field) {
    return readProc("status")
        .lines()
        .filter(line -> line.startsWith(field))
        .findFirst()
        .map(line -> Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]))
        .orElseThrow(
            () -> new IllegalStateException(field + " missing from /proc/" + pid() + "/status"));
  }

  private String readProc(String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid()), file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no flush, no commit. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the service process did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends SIGTERM and returns at once: the shutdown hook runs while the caller watches. */
  public void terminate() {
    process.destroy();
  }

  /**
   * Waits for the process to end, and returns its exit status; fails, as {@link #close()} does, if
   * any answer of its API port drifted from openapi.yaml.
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "the service process did not exit within " + timeout + "; see " + log);
      }
      if (servesApi()) {
        ContractCheck.stoppedServing(httpPort());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Everything the service logged so far. */
  public String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * SIGTERM: the service's shutdown hook undeploys the verticles in order. Then fails if any answer
   * of its API port drifted from openapi.yaml ({@link ContractCheck}).
   */
  @Override
  public void close() {
    try {
      if (servesApi()) {
        ContractCheck.stoppedServing(httpPort());
      }
    } finally {
      if (process.isAlive()) {
        process.destroy();
        awaitExit();
      }
    }
  }
}
