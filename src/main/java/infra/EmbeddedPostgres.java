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

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts on {@code port} (0 = any free port); {@code fresh} wipes the previous run's data first. */
  static EmbeddedPostgres start(Path dir, int port, boolean fresh) throws IOException {
    long started = System.nanoTime();
    Path binaries = Files.createDirectories(dir.resolve("bin"));
    Path data = dir.resolve("data");
    Path sockets = Files.createDirectories(dir.resolve("run"));
    File log = dir.resolve("postgres.log").toFile();
    // zonky scans (and cleans) this "parent" directory for stale instances; its default is java.io.tmpdir
    System.getProperties().putIfAbsent("ot.epg.working-dir", binaries.toString());
    StaleProcess.stop(data.resolve("postmaster.pid"), "PostgreSQL", "postgres");
    if (fresh) {
      DataDirectory.wipe(data);
      Files.deleteIfExists(log.toPath());
    }
    EmbeddedPostgres postgres = new EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(binaries.toFile())
        .setDataDirectory(data)
        .setCleanDataDirectory(false) // we wipe on start instead: the last run's data stays around to look at
        .setPort(FreePort.orFree(port, "PostgreSQL"))
        .setServerConfig("listen_addresses", FreePort.LOOPBACK)
        .setServerConfig("unix_socket_directories", socketDirectory(sockets))
        .setPGStartupWait(Duration.ofSeconds(30)) // the first start also unpacks the binaries
        .setOutputRedirector(Redirect.appendTo(log))
        .setErrorRedirector(Redirect.appendTo(log))
        .start());
    LOG.info("Embedded PostgreSQL 15 started on {}:{} in {} ms (data {}, log {})",
        FreePort.LOOPBACK, postgres.server.getPort(), Millis.since(started), data, log);
    return postgres;
  }

  /** No unix socket at all ('') when the path would be too long: we only connect over TCP anyway. */
  private static String socketDirectory(Path sockets) {
    String path = sockets.toAbsolutePath().toString();
    return path.length() <= MAX_SOCKET_DIR_LENGTH ? path : "''";
  }

  String uri() {
    return "postgresql://" + USER + ":" + PASSWORD + "@" + FreePort.LOOPBACK + ":" + server.getPort() + "/" + DATABASE;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
