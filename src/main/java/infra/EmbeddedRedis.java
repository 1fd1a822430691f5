package infra;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's redis-server as a child process (not daemonized, so we own it and can stop it), on 127.0.0.1,
 * in memory only. Layout under its directory: redis.log, redis.pid.
 */
final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
  private static final String BINARY = "redis-server";
  private static final long READY_TIMEOUT_MS = 10_000;
  private static final long STOP_TIMEOUT_MS = 5_000;

  private final Path dir;
  private final Path binary;
  private final int port;
  private Process process; // null while stopped

  private EmbeddedRedis(Path dir, Path binary, int port) {
    this.dir = dir;
    this.binary = binary;
    this.port = port;
  }

  static EmbeddedRedis start(Path dir) throws IOException, InterruptedException {
    Path binary = findOnPath(BINARY).orElseThrow(() -> new IllegalStateException(
        "redis-server not found on PATH: install it with `apt-get install -y redis-server`"
            + " (deploy/dev.sh and .ci/run do this)"));
    Files.createDirectories(dir);
    StaleProcess.stop(dir.resolve("redis.pid"), "Redis", binary.toRealPath().getFileName().toString());
    EmbeddedRedis redis = new EmbeddedRedis(dir, binary, FreePort.pick());
    redis.startServer();
    return redis;
  }

  /** Starts redis-server on this instance's port, empty (it keeps nothing on disk), and waits for PONG. */
  synchronized void startServer() throws IOException, InterruptedException {
    if (process != null) {
      return;
    }
    long started = System.nanoTime();
    File log = dir.resolve("redis.log").toFile();
    process = new ProcessBuilder(binary.toString(),
        "--port", String.valueOf(port), "--bind", FreePort.LOOPBACK,
        "--save", "", "--appendonly", "no", // in memory only
        "--dir", dir.toAbsolutePath().toString(), "--pidfile", dir.resolve("redis.pid").toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
    try {
      awaitPong(log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("Embedded Redis ({}, pid {}) started on {} in {} ms",
        binary, process.pid(), connectionString(), Millis.since(started));
  }

  private static Optional<Path> findOnPath(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private void awaitPong(File log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    while (!answersPing()) {
      // waiting for the process to exit doubles as the poll interval
      if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
        throw new IOException("redis-server exited with status " + process.exitValue() + ", see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("redis-server does not answer PING on port " + port + " after "
            + READY_TIMEOUT_MS + " ms, see " + log);
      }
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(FreePort.LOOPBACK, port), 500);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      return "+PONG".equals(reply);
    } catch (IOException e) {
      return false;
    }
  }

  String connectionString() {
    return "redis://" + FreePort.LOOPBACK + ":" + port;
  }

  /** SIGTERM first (a clean shutdown), SIGKILL if it does not go. Its in-memory data is gone. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    Process stopping = process;
    process = null;
    stopping.destroy();
    try {
      if (!stopping.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        stopping.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      stopping.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
