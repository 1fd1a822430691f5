package http;

import domain.ErrorCode;
import domain.Violation;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses requests that cannot be decoded before any route sees them, so a hostile URI or request line
 * is a 4xx with a JSON error, never an exception inside the router (a 500) or a connection closed in silence.
 */
public final class RequestGuards {
  private RequestGuards() {}

  /**
   * The path and query must decode: a bad percent escape ({@code %zz}, a lone {@code %}) would otherwise
   * throw when the router matches a path or a handler reads a parameter. Mounted before every route.
   */
  public static void decodableUri(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      ApiErrors.respond(ctx, 400, Violation.of(ErrorCode.MALFORMED_REQUEST, "path", "the path is not decodable: "
          + e.getMessage()));
      return;
    }
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ApiErrors.respond(ctx, 400, Violation.of(ErrorCode.INVALID_PARAMETER, "query",
          "the query string is not decodable: " + e.getMessage()));
      return;
    }
    ctx.next();
  }

  /**
   * For requests the HTTP decoder itself refused (a request line or headers too long, a malformed request):
   * the server closes the connection after this answer.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    Violation violation;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      violation = Violation.of(ErrorCode.URI_TOO_LONG, null, "the request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      violation = Violation.of(ErrorCode.HEADERS_TOO_LARGE, null, "the request headers are too large");
    } else {
      status = 400;
      violation = Violation.of(ErrorCode.MALFORMED_REQUEST, null, "malformed HTTP request"
          + (cause == null ? "" : ": " + cause.getMessage()));
    }
    request.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("connection", "close").end(ApiErrors.body(violation));
  }
}
