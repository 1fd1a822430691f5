package store;

import codec.TradeJson;
import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.eventbus.Message;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;

/**
 * How a persistence verticle answers a failed write. Data the database refuses (SQLSTATE classes 22,
 * data exception, and 23, integrity violation) will never succeed: 422 with a violation, so a consumer
 * dead-letters it. Anything else is an outage: 503, retried by the caller.
 */
public final class StoreFailures {
  public static final int REFUSED = 422;
  public static final int UNAVAILABLE = 503;

  private StoreFailures() {}

  public static boolean isBadData(Throwable failure) {
    return failure instanceof PgException pg && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  public static void reply(Message<?> message, String what, String correlationId, Throwable failure, Logger log) {
    if (isBadData(failure)) {
      log.warn("[corr={}] {} refused by the database: {}", correlationId, what, failure.getMessage());
      message.fail(REFUSED, TradeJson.toJson(Violation.of(ErrorCode.INVALID_FIELD, null,
          "rejected by the database: " + failure.getMessage())).encode());
    } else {
      log.warn("[corr={}] {} not stored, store unavailable: {}", correlationId, what, failure.getMessage());
      message.fail(UNAVAILABLE, what + " not stored, store unavailable: " + failure.getMessage());
    }
  }
}
