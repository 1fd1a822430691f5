package infra;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 15 from zonky's bundled binaries (a child process), listening on 127.0.0.1 only.
 * Layout under its directory: bin/ (unpacked binaries, kept as a cache), data/, run/ (unix socket), postgres.log.
 */
final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String USER = "postgres"; // zonky's initdb superuser; authentication is "trust"
  private static final String PASSWORD = "postgres";
  private static final String DATABASE = "postgres";
  // the unix socket path must fit in sun_path (108 bytes) with the ".s.PGSQL.<port>" suffix
  private static final int MAX_SOCKET_DIR_LENGTH = 90;

  private final Path dir;
  private final int port;
  private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server; // null while stopped

  private EmbeddedPostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts on {@code port} (0 = any free port); {@code fresh} wipes the previous run's data first. */
  static EmbeddedPostgres start(Path dir, int port, boolean fresh) throws IOException {
    if (fresh) {
      StaleProcess.stop(dir.resolve("data").resolve("postmaster.pid"), "PostgreSQL", "postgres");
      DataDirectory.wipe(dir.resolve("data"));
      Files.deleteIfExists(dir.resolve("postgres.log"));
    }
    EmbeddedPostgres postgres = new EmbeddedPostgres(dir, FreePort.orFree(port, "PostgreSQL"));
    postgres.startServer();
    return postgres;
  }

  /** Starts the server again on the same port and data (initdb only runs when the data directory is new). */
  synchronized void startServer() throws IOException {
    if (server != null) {
      return;
    }
    long started = System.nanoTime();
    Path binaries = Files.createDirectories(dir.resolve("bin"));
    Path data = dir.resolve("data");
    Path sockets = Files.createDirectories(dir.resolve("run"));
    File log = dir.resolve("postgres.log").toFile();
    // zonky scans (and cleans) this "parent" directory for stale instances; its default is java.io.tmpdir
    System.getProperties().putIfAbsent("ot.epg.working-dir", binaries.toString());
    StaleProcess.stop(data.resolve("postmaster.pid"), "PostgreSQL", "postgres");
    server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(binaries.toFile())
        .setDataDirectory(data)
        .setCleanDataDirectory(false) // we wipe on start instead: the last run's data stays around to look at
        .setPort(port)
        .setServerConfig("listen_addresses", FreePort.LOOPBACK)
        .setServerConfig("unix_socket_directories", socketDirectory(sockets))
        .setPGStartupWait(Duration.ofSeconds(30)) // the first start also unpacks the binaries
        .setOutputRedirector(Redirect.appendTo(log))
        .setErrorRedirector(Redirect.appendTo(log))
        .start();
    LOG.info("Embedded PostgreSQL 15 started on {}:{} in {} ms (data {}, log {})",
        FreePort.LOOPBACK, port, Millis.since(started), data, log);
  }

  /** Stops the server (its connections are closed); the data directory stays. */
  synchronized void stopServer() throws IOException {
    if (server == null) {
      return;
    }
    long started = System.nanoTime();
    server.close();
    server = null;
    LOG.info("Embedded PostgreSQL on {}:{} stopped in {} ms", FreePort.LOOPBACK, port, Millis.since(started));
  }

  /** No unix socket at all ('') when the path would be too long: we only connect over TCP anyway. */
  private static String socketDirectory(Path sockets) {
    String path = sockets.toAbsolutePath().toString();
    return path.length() <= MAX_SOCKET_DIR_LENGTH ? path : "''";
  }

  String uri() {
    return "postgresql://" + USER + ":" + PASSWORD + "@" + FreePort.LOOPBACK + ":" + port + "/" + DATABASE;
  }

  @Override
  public void close() throws IOException {
    stopServer();
  }
}
