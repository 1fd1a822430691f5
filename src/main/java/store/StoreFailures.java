package store;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.pgclient.PgException;

/**
 * Tells data the database refuses (SQLSTATE classes 22, data exception, and 23, integrity violation),
 * which will never succeed, from everything else, which is an outage worth retrying.
 */
public final class StoreFailures {
  private StoreFailures() {}

  public static boolean isBadData(Throwable failure) {
    return failure instanceof PgException pg && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  /** The violation to answer for data the database refused. */
  public static Violation refusal(Throwable failure) {
    return Violation.of(ErrorCode.INVALID_FIELD, null, "rejected by the database: " + failure.getMessage());
  }
}
