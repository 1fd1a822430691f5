package infra.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a server child process left running by an earlier JVM that died without closing it (kill
 * -9, IDE stop). Such an orphan would hold the data directory and maybe the port. It is found by
 * the pid file the server wrote into our own (locked, see {@link DataDirectory}) data directory,
 * and must still run the expected binary.
 */
final class StaleProcess {
  private static final Logger LOG = LoggerFactory.getLogger(StaleProcess.class);

  private StaleProcess() {}

  /**
   * @param label for the log line
   * @param executableName file name of the executable the process must run, symlinks resolved
   *     (Debian's redis-server is a link to redis-check-rdb)
   */
  static void stop(Path pidFile, String label, String executableName) {
    readPid(pidFile)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(
            process ->
                process
                    .info()
                    .command()
                    .map(command -> command.endsWith("/" + executableName))
                    .orElse(false))
        .ifPresent(process -> terminate(process, label));
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.isReadable(pidFile) ? Files.readAllLines(pidFile) : List.of();
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void terminate(ProcessHandle process, String label) {
    LOG.warn("Stopping {} (pid {}) left running by an earlier run", label, process.pid());
    process.destroy();
    try {
      process.onExit().get(15, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
