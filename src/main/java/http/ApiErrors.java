package http;

import codec.TradeJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import domain.ErrorCode;
import domain.Violation;
import failures.Failures;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP statuses and {error, message, field} bodies. A failure
 * is the request's fault (4xx), an outage of a dependency (503, see {@link failures.Outages}), or
 * else a bug (500).
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  /** A status and the error body that goes with it. */
  record Answer(int status, Violation violation) {}

  private ApiErrors() {}

  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Throwable failure = ctx.failure();
    // a 4xx status that comes with a failure was set by Vert.x Web itself (BodyHandler,
    // HttpException)
    Answer answer =
        failure == null || isClientError(ctx.statusCode())
            ? byStatus(ctx, ctx.statusCode())
            : classify(failure, CorrelationIds.of(ctx));
    log(ctx, answer, failure);
    countRefusedInput(answer);
    respond(ctx, answer.status(), answer.violation());
  }

  /**
   * Input refused for what it is: not a missing route, a missing token, or a limit on the client.
   */
  private static void countRefusedInput(Answer answer) {
    if (answer.status() == 400
        || answer.status() == 413
        || answer.status() == 414
        || answer.status() == 415
        || answer.status() == 422
        || answer.status() == 431) {
      Meters.validationFailure(answer.violation().code().name(), "rest");
    }
  }

  /** What a failure raised by a handler means for the client. */
  static Answer classify(Throwable failure, String correlationId) {
    if (failure instanceof ApiException e) {
      return new Answer(e.status(), e.violation());
    }
    if (failure instanceof ReplyException e) {
      return replyFailure(e, correlationId);
    }
    if (isMalformedJson(failure)) {
      return new Answer(
          400,
          Violation.of(ErrorCode.MALFORMED_JSON, null, "request body must be a valid JSON object"));
    }
    if (failure instanceof UnreadableRequestException e) {
      return undecodable(e.getCause());
    }
    if (failure instanceof DecoderException || failure instanceof TooLongFrameException) {
      return undecodable(failure);
    }
    return switch (Failures.classify(failure)) {
      case REFUSAL -> refused(Failures.refusal(failure));
      case OUTAGE -> unavailable("a dependency did not answer");
      case BUG -> internalError(correlationId);
    };
  }

  private static Answer refused(Violation refusal) {
    return new Answer(status(refusal), refusal);
  }

  /**
   * No exception text, class name or SQL reaches the client: the correlation id leads to the logged
   * cause.
   */
  private static Answer internalError(String correlationId) {
    return new Answer(
        500,
        Violation.of(
            ErrorCode.INTERNAL_ERROR,
            null,
            "internal error; see logs for correlation id " + correlationId));
  }

  /** The status a refusal answers with: its error code decides. */
  public static int status(Violation refusal) {
    return switch (refusal.code()) {
      case NOT_FOUND -> 404;
      case REFERENCE_IN_USE, DUPLICATE_KEY -> 409;
      case REFERENCE_NOT_FOUND, INSUFFICIENT_HISTORY, IDEMPOTENCY_KEY_REUSED, INSUFFICIENT_FUNDS ->
          422;
      default -> 400;
    };
  }

  /** A request the HTTP decoders could not read: a line, headers or body too long, or malformed. */
  static Answer undecodable(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new Answer(
          414, Violation.of(ErrorCode.URI_TOO_LONG, null, "the request line is too long"));
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new Answer(
          431,
          Violation.of(ErrorCode.HEADERS_TOO_LARGE, null, "the request headers are too large"));
    }
    if (cause instanceof TooLongFrameException
        || cause instanceof HttpPostRequestDecoder.TooLongFormFieldException) {
      return new Answer(
          413,
          Violation.of(ErrorCode.PAYLOAD_TOO_LARGE, null, "request body exceeds the size limit"));
    }
    return new Answer(
        400,
        Violation.of(
            ErrorCode.MALFORMED_REQUEST,
            null,
            "malformed HTTP request"
                + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage())));
  }

  /**
   * Vert.x wraps Jackson's errors (bad syntax, nesting or number length over its limits) in
   * DecodeException.
   */
  private static boolean isMalformedJson(Throwable failure) {
    return failure instanceof DecodeException || failure instanceof JsonProcessingException;
  }

  private static boolean isClientError(int status) {
    return status >= 400 && status < 500;
  }

  public static void respond(RoutingContext ctx, int status, Violation violation) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body(violation));
  }

  static String body(Violation violation) {
    return TradeJson.toJson(violation).encode();
  }

  /**
   * Unmatched routes and statuses set by Vert.x Web, such as 413 from the body limit or 417 for an
   * odd Expect.
   */
  private static Answer byStatus(RoutingContext ctx, int status) {
    String path = ctx.request().path();
    return switch (status) {
      case 401 ->
          new Answer(
              401,
              Violation.of(
                  ErrorCode.UNAUTHORIZED,
                  "Authorization",
                  "a valid bearer token is required: Authorization: Bearer <JWT>"));
      case 403 ->
          new Answer(
              403,
              Violation.of(
                  ErrorCode.FORBIDDEN,
                  "Authorization",
                  "the token lacks the scope " + ctx.request().method() + " " + path + " needs"));
      case 400 ->
          malformedCredentials(ctx)
              ? new Answer(
                  400,
                  Violation.of(
                      ErrorCode.UNAUTHORIZED,
                      "Authorization",
                      "the Authorization header carries no credentials: send Authorization: Bearer"
                          + " <JWT>"))
              : new Answer(
                  400,
                  Violation.of(
                      ErrorCode.MALFORMED_REQUEST, null, "request refused with status 400"));
      case 404 ->
          new Answer(404, Violation.of(ErrorCode.NOT_FOUND, null, "no such resource: " + path));
      case 429 ->
          new Answer(
              429,
              Violation.of(
                  ErrorCode.RATE_LIMITED,
                  null,
                  "too many requests from this client; retry after "
                      + ctx.response().headers().get("Retry-After")
                      + " s"));
      case 405 ->
          new Answer(
              405,
              Violation.of(
                  ErrorCode.METHOD_NOT_ALLOWED,
                  null,
                  ctx.request().method() + " is not supported on " + path));
      case 413 ->
          new Answer(
              413,
              Violation.of(
                  ErrorCode.PAYLOAD_TOO_LARGE, null, "request body exceeds the size limit"));
      case 415 ->
          new Answer(
              415, Violation.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, null, "send application/json"));
      case 503 -> unavailable("status 503");
      default ->
          isClientError(status)
              ? new Answer(
                  status,
                  Violation.of(
                      ErrorCode.MALFORMED_REQUEST, null, "request refused with status " + status))
              : internalError(CorrelationIds.of(ctx));
    };
  }

  /**
   * The auth handler answers 400 to an Authorization header with a scheme and no credentials
   * ("Bearer").
   */
  private static boolean malformedCredentials(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    return authorization != null && authorization.strip().indexOf(' ') < 0;
  }

  /**
   * A handler on the bus could not decide: it crashed (a bug: 500), or its store is unavailable, it
   * timed out or none is deployed (503). Refusals arrive as outcomes in successful replies, not
   * here; a 4xx is still mapped, for handlers that answer with one.
   */
  private static Answer replyFailure(ReplyException e, String correlationId) {
    return switch (Failures.classify(e)) {
      case REFUSAL -> new Answer(e.failureCode(), Failures.refusal(e));
      case BUG -> internalError(correlationId);
      case OUTAGE ->
          unavailable(
              switch (e.failureType()) {
                case TIMEOUT -> "timed out";
                case NO_HANDLERS -> "no handler deployed for this request";
                default -> "its store is unavailable";
              });
    };
  }

  private static Answer unavailable(String reason) {
    return new Answer(
        503,
        Violation.of(
            ErrorCode.SERVICE_UNAVAILABLE, null, "service temporarily unavailable: " + reason));
  }

  /**
   * What the client is not told (exception text, the store's or broker's words) is logged, under
   * its correlation id.
   */
  private static void log(RoutingContext ctx, Answer answer, Throwable failure) {
    if (answer.status() == 500) {
      LOG.error(
          "{} {} failed (correlation id {})",
          ctx.request().method(),
          ctx.request().path(),
          CorrelationIds.of(ctx),
          failure);
    } else if (answer.status() == 503) {
      LOG.warn(
          "{} {}: dependency failure (correlation id {}): {}",
          ctx.request().method(),
          ctx.request().path(),
          CorrelationIds.of(ctx),
          failure == null ? "status 503" : failure.toString());
    }
  }
}
