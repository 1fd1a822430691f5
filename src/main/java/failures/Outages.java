package failures;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.TransactionRollbackException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Which failures mean "a dependency is down or overloaded, retry later" (503). The list is explicit
 * on purpose: whatever is not on it is a bug (500), so that it gets fixed instead of retried.
 */
public final class Outages {
  /** How deep to look into causes; a cause chain longer than this is not worth following. */
  private static final int MAX_CAUSES = 8;

  private static final List<Class<? extends Throwable>> OUTAGE_TYPES =
      List.of(
          TimeoutException.class,
          ConnectionPoolTooBusyException.class,
          ClosedConnectionException.class,
          TransactionRollbackException.class,
          RetriableException.class,
          MongoSocketException.class,
          MongoTimeoutException.class,
          MongoExecutionTimeoutException.class,
          MongoOperationTimeoutException.class,
          MongoServerUnavailableException.class,
          MongoConnectionPoolClearedException.class,
          MongoNotPrimaryException.class,
          MongoNodeIsRecoveringException.class);

  /**
   * SQLSTATE classes of a database that is unreachable, shutting down, overloaded or asked us to
   * retry: connection exception, transaction rollback (serialization, deadlock), insufficient
   * resources, object not in prerequisite state (lock not available), operator intervention, system
   * error, internal error.
   */
  private static final Set<String> PG_OUTAGE_CLASSES =
      Set.of("08", "40", "53", "55", "57", "58", "XX");

  /**
   * The Vert.x pools report these with plain VertxExceptions: the pool was closed (the service is
   * stopping), no connection came free in time, or the connection dropped with requests pending.
   */
  private static final List<String> POOL_FAILURES =
      List.of("Pool closed", "Timeout waiting for connection", "connection has been closed");

  private Outages() {}

  public static boolean isOutage(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (isOutageItself(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOutageItself(Throwable t) {
    if (t instanceof PgException pg) {
      return pg.getSqlState() != null
          && pg.getSqlState().length() == 5
          && PG_OUTAGE_CLASSES.contains(pg.getSqlState().substring(0, 2));
    }
    // network I/O (refused, reset, closed channel); Jackson's parse errors are IOExceptions too,
    // but never outages
    if (t instanceof IOException) {
      return !(t instanceof JsonProcessingException);
    }
    return OUTAGE_TYPES.stream().anyMatch(type -> type.isInstance(t)) || isPoolFailure(t);
  }

  private static boolean isPoolFailure(Throwable t) {
    return t instanceof VertxException
        && t.getMessage() != null
        && POOL_FAILURES.stream().anyMatch(t.getMessage()::contains);
  }
}
