package http;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** JSON request and response helpers shared by the routes. */
public final class Json {
  private Json() {}

  /**
   * A POST route taking a JSON body. The content type is checked on a route of its own in front (Vert.x Web
   * wants the BodyHandler first on a route), so a form or multipart body is refused unread, never decoded.
   */
  public static void post(Router router, String path, BodyHandler body, Handler<RoutingContext> handler) {
    router.post(path).handler(Json::requireJsonBody);
    router.post(path).handler(body).handler(handler);
  }

  /** Refuses bodies declared as something other than JSON; a missing content type is accepted. */
  private static void requireJsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type != null && !type.toLowerCase().startsWith("application/json")) {
      ctx.fail(new ApiException(415, Violation.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, null,
          "content-type must be application/json, got " + type)));
      return;
    }
    ctx.next();
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
