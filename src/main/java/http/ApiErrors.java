package http;

import codec.TradeJson;
import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.StoreFailures;

/** The one place where failures become HTTP statuses and {error, message, field} bodies. */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
  /** Clients of the stores and the broker: their errors are outages, not bugs. */
  private static final List<String> DEPENDENCY_PACKAGES = List.of("io.vertx.pgclient.", "io.vertx.sqlclient.",
      "io.vertx.redis.", "io.vertx.kafka.", "org.apache.kafka.", "com.mongodb.", "io.vertx.ext.mongo.");

  private ApiErrors() {}

  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException e) {
      respond(ctx, e.status(), e.violation());
    } else if (failure instanceof ViolationException e) {
      respond(ctx, 400, e.violation());
    } else if (failure instanceof DecodeException || failure instanceof ClassCastException) {
      respond(ctx, 400, Violation.of(ErrorCode.MALFORMED_JSON, null, "request body must be a valid JSON object"));
    } else if (failure instanceof ReplyException e) {
      replyFailure(ctx, e);
    } else if (failure == null) {
      byStatus(ctx, ctx.statusCode());
    } else if (StoreFailures.isBadData(failure)) {
      respond(ctx, 400, Violation.of(ErrorCode.INVALID_FIELD, null, "rejected by the database: " + failure.getMessage()));
    } else if (isDependencyFailure(failure)) {
      LOG.warn("[corr={}] {} {}: dependency failure: {}", CorrelationIds.of(ctx), ctx.request().method(),
          ctx.request().path(), failure.toString());
      respond(ctx, 503, Violation.of(ErrorCode.SERVICE_UNAVAILABLE, null,
          "service temporarily unavailable: " + failure.getMessage()));
    } else {
      LOG.error("[corr={}] {} {} failed", CorrelationIds.of(ctx), ctx.request().method(), ctx.request().path(), failure);
      respond(ctx, 500, Violation.of(ErrorCode.INTERNAL_ERROR, null, "internal error; see logs for correlation id "
          + CorrelationIds.of(ctx)));
    }
  }

  /**
   * An outage of something the service depends on (I/O, timeouts, a store or broker client error): 503,
   * safe to retry. Anything else is a bug and gets a 500, so that it is seen and fixed rather than retried.
   */
  private static boolean isDependencyFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String type = t.getClass().getName();
      if (t instanceof IOException || t instanceof TimeoutException || t instanceof VertxException
          || DEPENDENCY_PACKAGES.stream().anyMatch(type::startsWith)) {
        return true;
      }
    }
    return false;
  }

  public static void respond(RoutingContext ctx, int status, Violation violation) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body(violation));
  }

  static String body(Violation violation) {
    return TradeJson.toJson(violation).encode();
  }

  /** Unmatched routes and framework-set statuses such as 413 from the body limit. */
  private static void byStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 413 -> respond(ctx, 413, Violation.of(ErrorCode.PAYLOAD_TOO_LARGE, null, "request body exceeds the size limit"));
      case 404 -> respond(ctx, 404, Violation.of(ErrorCode.NOT_FOUND, null, "no such resource: " + ctx.request().path()));
      case 405 -> respond(ctx, 405, Violation.of(ErrorCode.METHOD_NOT_ALLOWED, null,
          ctx.request().method() + " is not supported on " + ctx.request().path()));
      case 415 -> respond(ctx, 415, Violation.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, null, "send application/json"));
      default -> respond(ctx, status < 400 ? 500 : status, Violation.of(
          status < 500 ? ErrorCode.INVALID_PARAMETER : ErrorCode.INTERNAL_ERROR, null, "request failed with status " + status));
    }
  }

  /** A handler on the bus refused (4xx with a violation body) or could not do the work (unavailable). */
  private static void replyFailure(RoutingContext ctx, ReplyException e) {
    int code = e.failureCode();
    if (code >= 400 && code < 500) {
      respond(ctx, code, TradeJson.violationFromJson(new JsonObject(e.getMessage())));
      return;
    }
    LOG.warn("[corr={}] {} {}: {} ({})", CorrelationIds.of(ctx), ctx.request().method(), ctx.request().path(),
        e.getMessage(), e.failureType());
    respond(ctx, 503, Violation.of(ErrorCode.SERVICE_UNAVAILABLE, null, "service temporarily unavailable: "
        + switch (e.failureType()) {
          case TIMEOUT -> "timed out";
          case NO_HANDLERS -> "no handler deployed for this request";
          default -> e.getMessage();
        }));
  }
}
