package store;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;

/** Applies the versioned SQL migrations in db/migration. Blocking (JDBC): call it off the event loop. */
public final class SchemaMigrator {
  private SchemaMigrator() {}

  /** @return how many migrations this call applied */
  public static int migrate(String pgUri) {
    PgConnectOptions pg = PgConnectOptions.fromUri(pgUri);
    String jdbcUrl = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getPort() + "/" + pg.getDatabase();
    return Flyway.configure()
        .dataSource(jdbcUrl, pg.getUser(), pg.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
