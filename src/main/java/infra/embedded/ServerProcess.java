package infra.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A server running as a child process of this JVM, its output appended to a log file. Being our
 * child, it is reaped when it exits, even where PID 1 reaps no orphans. What one start appended to
 * the log tells why it failed.
 */
final class ServerProcess {
  private static final long POLL_MS = 20;
  private static final String PORT_TAKEN = "Address already in use";

  private final String name;
  private final Process process;
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private final Path log;
  private final long logStart;

  private ServerProcess(String name, Process process, Path log, long logStart) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.logStart = logStart;
  }

  /**
   * A Ctrl-C in the terminal signals the whole foreground process group: in a session of its own a
   * server outlives it until the service, shutting down in order, has flushed and stopped it.
   * {@code setsid} execs (a child of the JVM leads no group), so the pid stays the server's.
   */
  static List<String> inOwnSession(List<String> command) {
    if (!Files.isExecutable(SETSID)) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(SETSID.toString()));
    wrapped.addAll(command);
    return wrapped;
  }

  static ServerProcess start(String name, List<String> command, Path log) throws IOException {
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new ServerProcess(name, process, log, logStart);
  }

  /**
   * Runs a command of the server's tool set (initdb, pg_ctl) to its end, its output appended to the
   * log.
   */
  static void run(String name, List<String> command, Path log, Duration timeout)
      throws IOException, InterruptedException {
    ServerProcess tool = start(name, command, log);
    if (!tool.awaitExit(timeout)) {
      tool.kill();
      throw new IOException(name + " did not finish in " + timeout.toMillis() + " ms, see " + log);
    }
    if (tool.process.exitValue() != 0) {
      throw tool.exited();
    }
  }

  /**
   * Blocks until {@code ready} holds. When the process exits first, or at the deadline (the process
   * is then killed), throws an IOException, a {@link BindException} when the server found its port
   * taken.
   */
  void awaitReady(BooleanSupplier ready, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      // waiting for the process to exit doubles as the poll interval
      if (process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
        throw exited();
      }
      if (System.nanoTime() > deadline) {
        kill();
        throw new IOException(
            name + " is not ready after " + timeout.toMillis() + " ms, see " + log);
      }
    }
  }

  private IOException exited() throws IOException {
    String output = logSinceStart();
    String message =
        name + " exited with status " + process.exitValue() + ", see " + log + ":\n" + output;
    return output.contains(PORT_TAKEN) ? new BindException(message) : new IOException(message);
  }

  /** What this start appended to the log, at most the last 4 KB. */
  private String logSinceStart() throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(logStart, file.length() - 4096);
      byte[] bytes = new byte[(int) (file.length() - from)];
      file.seek(from);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to exit (and reaps it); false at the deadline. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGTERM, then SIGKILL when it has not exited after {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!awaitExit(grace)) {
      kill();
    }
  }

  /** SIGKILL, and wait until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /**
   * Waits until each process has exited, SIGKILLs those still running at the deadline. Orphans
   * count as gone once they are zombies: where PID 1 does not reap them, {@link
   * ProcessHandle#isAlive()} stays true for ever.
   */
  static void awaitGone(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processes.stream().anyMatch(ServerProcess::running) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
    }
    processes.stream().filter(ServerProcess::running).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Alive (the same process: isAlive compares start times) and not a zombie ("pid (command) state
   * ...").
   */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return false; // no such process any more
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
