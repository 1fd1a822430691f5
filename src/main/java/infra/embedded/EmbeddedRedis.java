package infra.embedded;

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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's redis-server as a child process (not daemonized, so we own it and can stop it), on
 * 127.0.0.1, in memory only. Layout under its directory: redis.log, redis.pid.
 */
final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
  private static final String BINARY = "redis-server";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Path dir;
  private final Path binary;
  private final int port;
  private ServerProcess process; // null while stopped

  private EmbeddedRedis(Path dir, Path binary, int port) {
    this.dir = dir;
    this.binary = binary;
    this.port = port;
  }

  static EmbeddedRedis start(Path dir) throws Exception {
    return start(dir, FreePort::pick);
  }

  /**
   * Starts on a port from {@code picks} (a new one when another process took it before Redis bound
   * it).
   */
  static EmbeddedRedis start(Path dir, IntSupplier picks) throws Exception {
    Path binary =
        findOnPath(BINARY)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "redis-server not found on PATH: install it with `apt-get install -y"
                            + " redis-server` (deploy/dev.sh and .ci/run do this)"));
    Files.createDirectories(dir);
    StaleProcess.stop(
        dir.resolve("redis.pid"), "Redis", binary.toRealPath().getFileName().toString());
    return FreePort.bind(
        "Redis",
        picks,
        ports -> {
          EmbeddedRedis redis = new EmbeddedRedis(dir, binary, ports[0]);
          redis.startServer();
          return redis;
        },
        0);
  }

  /**
   * Starts redis-server on this instance's port, empty (it keeps nothing on disk), and waits until
   * it answers.
   */
  synchronized void startServer() throws IOException, InterruptedException {
    if (process != null) {
      return;
    }
    long started = System.nanoTime();
    ServerProcess starting =
        ServerProcess.start(
            "redis-server",
            ServerProcess.inOwnSession(
                List.of(
                    binary.toString(),
                    "--port",
                    String.valueOf(port),
                    "--bind",
                    FreePort.LOOPBACK,
                    "--save",
                    "",
                    "--appendonly",
                    "no", // in memory only
                    "--dir",
                    dir.toAbsolutePath().toString(),
                    "--pidfile",
                    dir.resolve("redis.pid").toAbsolutePath().toString())),
            dir.resolve("redis.log"));
    starting.awaitReady(() -> answersAs(starting.pid()), READY_TIMEOUT);
    process = starting;
    LOG.info(
        "Embedded Redis ({}, pid {}) started on {} in {} ms",
        binary,
        process.pid(),
        connectionString(),
        Millis.since(started));
  }

  private static Optional<Path> findOnPath(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Ready = the server on our port answers, and is our process (not one that took the port before
   * ours bound it).
   */
  private boolean answersAs(long pid) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(FreePort.LOOPBACK, port), 500);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String processId = "process_id:" + pid;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.equals(processId)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  String connectionString() {
    return "redis://" + FreePort.LOOPBACK + ":" + port;
  }

  /** SIGTERM first (a clean shutdown), SIGKILL if it does not go. Its in-memory data is gone. */
  synchronized void stopServer() throws InterruptedException {
    if (process == null) {
      return;
    }
    long started = System.nanoTime();
    ServerProcess stopping = process;
    process = null;
    stopping.stop(STOP_TIMEOUT);
    LOG.info("Embedded Redis on {} stopped in {} ms", connectionString(), Millis.since(started));
  }

  @Override
  public void close() throws InterruptedException {
    stopServer();
  }
}
