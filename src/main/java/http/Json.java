package http;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/** JSON request and response helpers shared by the routes. */
public final class Json {
  private Json() {}

  /**
   * A POST route taking a JSON body. The content type is checked on a route of its own in front (Vert.x Web
   * wants the BodyHandler first on a route), so a form or multipart body is refused unread, never decoded.
   */
  public static void post(Router router, String path, BodyHandler body, Handler<RoutingContext> handler) {
    router.post(path).handler(Json::requireJsonBody);
    router.post(path).handler(ctx -> readBody(ctx, body)).handler(handler);
  }

  /** A POST route that ignores its body: one declared as something other than JSON is still refused, unread. */
  public static void postWithoutBody(Router router, String path, Handler<RoutingContext> handler) {
    router.post(path).handler(Json::requireJsonBody).handler(handler);
  }

  /** Refuses bodies declared as something other than JSON; a missing content type is accepted. */
  private static void requireJsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type != null && !isJson(type)) {
      ctx.fail(new ApiException(415, Violation.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, null,
          "content-type must be application/json, got " + type)));
      return;
    }
    ctx.next();
  }

  /** {@code application/json} or a {@code +json} type, whatever its parameters. */
  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.startsWith("application/") && mediaType.endsWith("+json");
  }

  /**
   * Reads the body with the BodyHandler. A failure of the request stream itself (a malformed chunk, the client
   * going away) would reach the BodyHandler's own handler as an unclassified exception: it is the request's fault.
   */
  private static void readBody(RoutingContext ctx, BodyHandler body) {
    body.handle(ctx);
    ctx.request().exceptionHandler(e -> {
      if (!ctx.failed() && !ctx.response().ended()) {
        ctx.fail(new UnreadableRequestException(e));
      }
    });
  }

  /** The body as a JSON object; malformed JSON or a non-object fails with MALFORMED_JSON. */
  public static JsonObject bodyObject(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new ApiException(400, Violation.of(ErrorCode.MALFORMED_JSON, null, "request body is empty"));
    }
    Object parsed = io.vertx.core.json.Json.decodeValue(body);
    if (!(parsed instanceof JsonObject object)) {
      throw new ApiException(400, Violation.of(ErrorCode.MALFORMED_JSON, null, "request body must be a JSON object"));
    }
    return object;
  }

  public static void respond(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
