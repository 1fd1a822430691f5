package marketdata;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * The dashboard in Debian's chromium, driven by playwright-core ({@code
 * src/test/browser/dashboard.js}). Missing chromium, node or node modules fail the test (not skip
 * it): deploy/ensure-tools.sh installs them.
 */
final class Browser {
  private static final Path BROWSER_DIR = Path.of("src/test/browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** A running browser script: its output lines, as they come. */
  static final class Script {
    final Process process;
    final Queue<String> output = new ConcurrentLinkedQueue<>();
    private final Thread reader;

    private Script(Process process) {
      this.process = process;
      this.reader = new Thread(this::readLines, "dashboard-node-output");
      reader.start();
    }

    /** Waits for the script to end; fails with its output unless it exited 0. */
    void awaitSuccess(long timeoutSeconds) throws InterruptedException {
      assertTrue(
          process.waitFor(timeoutSeconds, TimeUnit.SECONDS),
          () -> "browser script timed out: " + output);
      reader.join(5_000);
      assertTrue(
          process.exitValue() == 0, () -> "browser script failed: " + String.join("\n", output));
    }

    /**
     * Waits for a line starting with {@code prefix} (the script's signal for the test's next step);
     * fails if it ends first.
     */
    String awaitLine(String prefix, java.time.Duration timeout) {
      support.Await.until(
          "browser line " + prefix,
          timeout,
          () -> output.stream().anyMatch(line -> line.startsWith(prefix)) || !process.isAlive());
      return output.stream()
          .filter(line -> line.startsWith(prefix))
          .findFirst()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "browser ended before " + prefix + ": " + String.join("\n", output)));
    }

    void destroy() {
      process.destroyForcibly();
    }

    private void readLines() {
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          output.add(line);
        }
      } catch (IOException e) {
        output.add("output read failed: " + e.getMessage());
      }
    }
  }

  private Browser() {}

  static void requireTools() {
    String hint =
        " Run deploy/ensure-tools.sh (it installs chromium and runs npm ci in src/test/browser).";
    if (!Files.isExecutable(CHROMIUM)) {
      fail("Browser test needs Debian's chromium at " + CHROMIUM + "." + hint);
    }
    if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
      fail("Browser test needs playwright-core in " + BROWSER_DIR + "/node_modules." + hint);
    }
    try {
      if (new ProcessBuilder("node", "--version")
          .redirectErrorStream(true)
          .start()
          .waitFor(20, TimeUnit.SECONDS)) {
        return;
      }
    } catch (IOException | InterruptedException e) {
      // reported below
    }
    fail("Browser test needs node on the PATH." + hint);
  }

  /** Starts {@code node dashboard.js} with the given options ({@code --url …}). */
  /**
   * The dashboard's address with an operator's token in its fragment, as a user opens it where
   * reads need a token (the page keeps it for the tab and sends it with every read and on the
   * WebSocket).
   */
  static String withToken(String url, ServiceUnderTest service) {
    return url
        + "#token="
        + service
            .token("dashboard-viewer", TestInfra.OPERATOR_SCOPES)
            .substring("Bearer ".length());
  }

  static Script run(String... options) {
    List<String> command = new ArrayList<>(List.of("node", "dashboard.js"));
    command.addAll(List.of(options));
    try {
      return new Script(
          new ProcessBuilder(command)
              .directory(BROWSER_DIR.toFile())
              .redirectErrorStream(true)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
