package http;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses requests that cannot be decoded before any route sees them, so a hostile URI or request
 * line is a 4xx with a JSON error, never an exception inside the router (a 500) or a connection
 * closed in silence.
 */
public final class RequestGuards {
  private RequestGuards() {}

  /**
   * The path and query must decode: a bad percent escape ({@code %zz}, a lone {@code %}) would
   * otherwise throw when the router matches a path or a handler reads a parameter. Mounted before
   * every route.
   */
  public static void decodableUri(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      ApiErrors.respond(
          ctx,
          400,
          Violation.of(
              ErrorCode.MALFORMED_REQUEST, "path", "the path is not decodable: " + e.getMessage()));
      return;
    }
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ApiErrors.respond(
          ctx,
          400,
          Violation.of(
              ErrorCode.INVALID_PARAMETER,
              "query",
              "the query string is not decodable: " + e.getMessage()));
      return;
    }
    ctx.next();
  }

  /**
   * For requests the HTTP decoder itself refused (a request line or headers too long, a malformed
   * request): the server closes the connection after this answer.
   */
  public static void invalidRequest(HttpServerRequest request) {
    ApiErrors.Answer answer = ApiErrors.undecodable(request.decoderResult().cause());
    request
        .response()
        .setStatusCode(answer.status())
        .putHeader("content-type", "application/json")
        .putHeader("connection", "close")
        .end(ApiErrors.body(answer.violation()));
  }
}
