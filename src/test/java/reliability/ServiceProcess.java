package reliability;

import app.ConfigKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import support.Await;
import support.TestInfra;

/**
 * The service as a separate JVM ({@code app.Main} on the test classpath) against the test's servers, so a
 * test can {@code kill -9} it. Its output goes to {@code target/reliability/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final String READY_LINE = "Service ready in";

  private final Process process;
  private final Path log;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts every role with the given extra settings, and returns once the service logged it is ready. */
  static ServiceProcess start(String name, Map<String, String> settings) {
    Path log = Path.of("target", "reliability", name + ".log");
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx768m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), "app.Main")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      TestInfra.config().forEach(e -> builder.environment().put(e.getKey(), String.valueOf(e.getValue())));
      builder.environment().put(ConfigKeys.HTTP_PORT, "0");
      builder.environment().put(ConfigKeys.PUSH_HTTP_PORT, "0");
      builder.environment().putAll(settings);
      ServiceProcess service = new ServiceProcess(builder.start(), log);
      service.awaitReady();
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    Await.until(READY_LINE + " in " + log, READY, () -> {
      if (!process.isAlive()) {
        throw new AssertionError("the service exited with status " + process.exitValue() + " before it was ready; see "
            + log);
      }
      return logContains(READY_LINE);
    });
  }

  private boolean logContains(String text) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGKILL: no shutdown hook, no flush, no commit. */
  void kill() {
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

  /** SIGTERM: the service's shutdown hook undeploys the verticles in order. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      awaitExit();
    }
  }
}
