package store;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the PostgreSQL pools every store uses, with prepared-statement caching and pipelining. */
public final class PgPools {
  private PgPools() {}

  public static Pool create(Vertx vertx, JsonObject config) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.getInteger(ConfigKeys.PG_POOL_SIZE, 8)))
        .connectingTo(connectOptions(config.getString(ConfigKeys.PG_URI)))
        .using(vertx)
        .build();
  }

  /**
   * One pool shared by every instance of a verticle (by name), so HTTP_INSTANCES multiplies event
   * loops, not database connections.
   */
  public static Pool shared(Vertx vertx, JsonObject config, String name) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.getInteger(ConfigKeys.PG_POOL_SIZE, 8)).setShared(true).setName(name))
        .connectingTo(connectOptions(config.getString(ConfigKeys.PG_URI)))
        .using(vertx)
        .build();
  }

  public static PgConnectOptions connectOptions(String uri) {
    return PgConnectOptions.fromUri(uri).setCachePreparedStatements(true).setPipeliningLimit(256);
  }
}
