package infra.embedded;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 15 from zonky's bundled binaries, run as a child process of this JVM, on 127.0.0.1
 * only. zonky's own EmbeddedPostgres is not used to run it: an instance starts once and cannot
 * restart; a start whose port was taken waits out the whole startup timeout, then leaves the data
 * directory locked in this JVM; and it leaves the postmaster an orphan, which nothing reaps where
 * PID 1 does not. Layout under its directory: bin/ (unpacked binaries, kept as a cache), data/,
 * run/ (unix socket), postgres.log.
 */
final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String USER = "postgres"; // initdb's superuser; authentication is "trust"
  private static final String PASSWORD = "postgres";
  private static final String DATABASE = "postgres";
  // the unix socket path must fit in sun_path (108 bytes) with the ".s.PGSQL.<port>" suffix
  private static final int MAX_SOCKET_DIR_LENGTH = 90;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60); // crash recovery included
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);

  private final Path home; // the unpacked binaries
  private final Path data;
  private final Path sockets;
  private final Path log;
  private final int port;
  private final boolean durable;
  private ServerProcess postmaster; // null while stopped

  private EmbeddedPostgres(Path dir, Path home, int port, boolean durable) {
    this.home = home;
    this.durable = durable;
    this.data = dir.resolve("data");
    this.sockets = dir.resolve("run");
    this.log = dir.resolve("postgres.log");
    this.port = port;
  }

  /**
   * Starts on {@code port} (0 = any free port); {@code fresh} wipes the previous run's data first;
   * {@code durable} turns fsync on (benchmarks quote durable figures), which tests and dev mode
   * leave off.
   */
  static EmbeddedPostgres start(Path dir, int port, boolean fresh, boolean durable)
      throws Exception {
    return start(dir, port, fresh, durable, FreePort::pick);
  }

  /**
   * With {@code port} 0, the port comes from {@code picks}, and a new one when it was taken before
   * the bind.
   */
  static EmbeddedPostgres start(
      Path dir, int port, boolean fresh, boolean durable, IntSupplier picks) throws Exception {
    Path data = dir.resolve("data");
    StaleProcess.stop(data.resolve("postmaster.pid"), "PostgreSQL", "postgres");
    if (fresh) {
      DataDirectory.wipe(data);
      Files.deleteIfExists(dir.resolve("postgres.log"));
    }
    Files.createDirectories(dir.resolve("run"));
    Path home = PostgresBinaries.unpack(dir.resolve("bin"));
    initdbIfNew(home, data, dir.resolve("postgres.log"));
    return FreePort.bind(
        "PostgreSQL",
        picks,
        ports -> {
          EmbeddedPostgres postgres = new EmbeddedPostgres(dir, home, ports[0], durable);
          postgres.startServer();
          return postgres;
        },
        port);
  }

  private static void initdbIfNew(Path home, Path data, Path log)
      throws IOException, InterruptedException {
    if (Files.exists(data.resolve("postgresql.conf"))) {
      return;
    }
    long started = System.nanoTime();
    DataDirectory.wipe(data); // what an interrupted initdb left
    ServerProcess.run(
        "initdb",
        asNonRoot(
            List.of(
                home.resolve("bin/initdb").toString(),
                "-A",
                "trust",
                "-U",
                USER,
                "-E",
                "UTF-8",
                "-D",
                data.toString())),
        log,
        INITDB_TIMEOUT);
    LOG.info("PostgreSQL data directory {} initialised in {} ms", data, Millis.since(started));
  }

  /**
   * Starts the server on this instance's port and data, and returns once it accepts connections.
   * After a {@link #killServer()} this runs crash recovery first.
   */
  synchronized void startServer() throws IOException, InterruptedException {
    if (postmaster != null) {
      return;
    }
    long started = System.nanoTime();
    ServerProcess starting = ServerProcess.start("postgres", serverCommand(), log);
    starting.awaitReady(() -> PidFile.of(data).saysReady(starting.pid()), READY_TIMEOUT);
    postmaster = starting;
    LOG.info(
        "Embedded PostgreSQL 15 (pid {}) started on {}:{} in {} ms (fsync {}, data {}, log {})",
        starting.pid(),
        FreePort.LOOPBACK,
        port,
        Millis.since(started),
        durable ? "on" : "off",
        data,
        log);
  }

  /**
   * zonky's settings (fsync off, UTC, 300 connections) except one: commits are synchronous, so a
   * killed server keeps every commit it acknowledged (WAL reaches the OS before the answer; only a
   * machine crash could lose it). Durable mode also keeps fsync on, so a commit waits for the disk
   * as in production.
   */
  private List<String> serverCommand() {
    List<String> command =
        new ArrayList<>(
            List.of(
                home.resolve("bin/postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port)));
    if (!durable) {
      command.add("-F");
    }
    List<String> settings =
        List.of(
            "listen_addresses=" + FreePort.LOOPBACK,
            "unix_socket_directories=" + socketDirectory(),
            "timezone=UTC",
            "max_connections=300",
            "synchronous_commit=on");
    for (String setting : settings) {
      command.add("-c");
      command.add(setting);
    }
    return ServerProcess.inOwnSession(asNonRoot(command));
  }

  /**
   * PostgreSQL's programs refuse to run as root. As root, zonky runs them in a user namespace of
   * their own, where they are not root ({@code unshare -U}, which execs: the pid stays the
   * program's); so does this.
   */
  private static List<String> asNonRoot(List<String> command) {
    List<String> wrapped = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      wrapped.addAll(List.of("unshare", "-U"));
    }
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * No unix socket at all (empty) when the path would be too long: we only connect over TCP anyway.
   */
  private String socketDirectory() {
    String path = sockets.toAbsolutePath().toString();
    return path.length() <= MAX_SOCKET_DIR_LENGTH ? path : "";
  }

  /** A fast shutdown: connections are closed, the data is kept. */
  synchronized void stopServer() throws InterruptedException {
    if (postmaster == null) {
      return;
    }
    long started = System.nanoTime();
    ServerProcess stopping = postmaster;
    postmaster = null;
    if (stopping.isAlive()) { // it may be gone already: a Ctrl-C reaches the whole process group
      requestFastShutdown();
    }
    if (!stopping.awaitExit(STOP_TIMEOUT)) {
      LOG.warn(
          "PostgreSQL {} did not stop in {} s: killing it", stopping, STOP_TIMEOUT.toSeconds());
      stopping.kill();
    }
    LOG.info(
        "Embedded PostgreSQL on {}:{} stopped in {} ms",
        FreePort.LOOPBACK,
        port,
        Millis.since(started));
  }

  /** Through pg_ctl, which sends SIGINT (Java cannot) and waits until the server is down. */
  private void requestFastShutdown() throws InterruptedException {
    try {
      ServerProcess.run(
          "pg_ctl stop",
          asNonRoot(
              List.of(
                  home.resolve("bin/pg_ctl").toString(),
                  "stop",
                  "-D",
                  data.toString(),
                  "-m",
                  "fast",
                  "-w",
                  "-t",
                  Long.toString(STOP_TIMEOUT.toSeconds()))),
          log,
          STOP_TIMEOUT.plusSeconds(5));
    } catch (IOException e) {
      LOG.warn("pg_ctl stop failed, waiting for PostgreSQL to exit by itself: {}", e.getMessage());
    }
  }

  /**
   * SIGKILL of the postmaster, a crash: its backends end by themselves once they see it gone, and
   * this waits for them, as the next start cannot begin while they hold the shared memory. The data
   * directory stays as the crash left it.
   */
  synchronized void killServer() throws InterruptedException {
    if (postmaster == null) {
      return;
    }
    long started = System.nanoTime();
    ServerProcess killed = postmaster;
    postmaster = null;
    List<ProcessHandle> backends = killed.handle().children().toList();
    killed.kill();
    ServerProcess.awaitGone(backends, STOP_TIMEOUT);
    LOG.info(
        "Embedded PostgreSQL on {}:{} killed (SIGKILL of postmaster pid {}, {} children gone) in {}"
            + " ms",
        FreePort.LOOPBACK,
        port,
        killed.pid(),
        backends.size(),
        Millis.since(started));
  }

  String uri() {
    return "postgresql://"
        + USER
        + ":"
        + PASSWORD
        + "@"
        + FreePort.LOOPBACK
        + ":"
        + port
        + "/"
        + DATABASE;
  }

  @Override
  public void close() throws InterruptedException {
    stopServer();
  }

  /**
   * postmaster.pid: line 1 the pid, line 8 the status ("ready" once it accepts connections), as
   * pg_ctl reads it.
   */
  private record PidFile(List<String> lines) {
    static PidFile of(Path data) {
      try {
        return new PidFile(Files.readAllLines(data.resolve("postmaster.pid")));
      } catch (IOException e) {
        return new PidFile(List.of()); // not written yet
      }
    }

    boolean saysReady(long pid) {
      return lines.size() >= 8
          && lines.get(0).trim().equals(Long.toString(pid))
          && lines.get(7).trim().equals("ready");
    }
  }
}
