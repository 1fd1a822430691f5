package store;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the PostgreSQL pools every store uses, with prepared-statement caching and pipelining. */
public final class PgPools {
  private PgPools() {}

  public static Pool create(Vertx vertx, JsonObject config) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.getInteger(ConfigKeys.PG_POOL_SIZE)))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  /**
   * One pool shared by every instance of a verticle (by name), so HTTP_INSTANCES multiplies event
   * loops, not database connections.
   */
  public static Pool shared(Vertx vertx, JsonObject config, String name) {
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(config.getInteger(ConfigKeys.PG_POOL_SIZE))
                .setShared(true)
                .setName(name))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  public static PgConnectOptions connectOptions(JsonObject config) {
    PgConnectOptions options =
        PgConnectOptions.fromUri(config.getString(ConfigKeys.PG_URI))
            .setCachePreparedStatements(true)
            .setPipeliningLimit(256);
    return withTls(options, config.getString(ConfigKeys.PG_SSL_ROOT_CERT));
  }

  /**
   * PG_URI's sslmode as libpq means it: {@code require} encrypts without checking the server's
   * certificate; {@code verify-ca} checks it against PG_SSL_ROOT_CERT (PEM), {@code verify-full}
   * the host name too.
   */
  static PgConnectOptions withTls(PgConnectOptions options, String rootCert) {
    SslMode mode = options.getSslMode();
    if (mode == null || mode == SslMode.DISABLE) {
      return options;
    }
    boolean verifies = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
    if (verifies && rootCert.isBlank()) {
      throw new IllegalArgumentException(
          "PG_URI asks for sslmode="
              + mode.name().toLowerCase().replace('_', '-')
              + ": set "
              + ConfigKeys.PG_SSL_ROOT_CERT
              + " to the CA certificate (PEM) to verify the server with");
    }
    ClientSSLOptions ssl =
        verifies
            ? new ClientSSLOptions()
                .setTrustOptions(new PemTrustOptions().addCertPath(rootCert))
                .setHostnameVerificationAlgorithm(mode == SslMode.VERIFY_FULL ? "HTTPS" : "")
            : new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
    return options.setSslOptions(ssl);
  }
}
