package http;

import codec.TradeJson;
import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses and {error, message, field} bodies. */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

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
    } else if (!isProgrammingError(failure)) {
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

  /** Bugs get a 500; anything else (I/O, database, timeouts) is a dependency failure: 503, safe to retry. */
  private static boolean isProgrammingError(Throwable failure) {
    return failure instanceof NullPointerException || failure instanceof IllegalArgumentException
        || failure instanceof IllegalStateException || failure instanceof IndexOutOfBoundsException
        || failure instanceof UnsupportedOperationException || failure instanceof Error;
  }

  public static void respond(RoutingContext ctx, int status, Violation violation) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(TradeJson.toJson(violation).encode());
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
