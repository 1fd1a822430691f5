package store;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.flywaydb.core.Flyway;

/**
 * Applies the versioned SQL migrations in db/migration. Blocking (JDBC): call it off the event
 * loop.
 */
public final class SchemaMigrator {
  private SchemaMigrator() {}

  /**
   * @param rootCert PG_SSL_ROOT_CERT, the CA certificate for sslmode=verify-ca or verify-full, or
   *     empty
   * @return how many migrations this call applied
   */
  public static int migrate(String pgUri, String rootCert) {
    PgConnectOptions pg = PgConnectOptions.fromUri(pgUri);
    return Flyway.configure()
        .dataSource(jdbcUrl(pgUri, pg, rootCert), pg.getUser(), pg.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /**
   * The JDBC form of PG_URI, its query parameters kept: sslmode, sslrootcert, sslcert, sslkey and
   * the like mean the same to the JDBC driver, so migrations connect as securely as the pool does.
   */
  static String jdbcUrl(String pgUri, PgConnectOptions pg, String rootCert) {
    int query = pgUri.indexOf('?');
    String url =
        "jdbc:postgresql://"
            + pg.getHost()
            + ":"
            + pg.getPort()
            + "/"
            + pg.getDatabase()
            + (query < 0 ? "" : pgUri.substring(query));
    return rootCert.isBlank()
        ? url
        : url
            + (query < 0 ? "?" : "&")
            + "sslrootcert="
            + URLEncoder.encode(rootCert, StandardCharsets.UTF_8);
  }
}
