package http;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** JSON request and response helpers shared by the routes. */
public final class Json {
  /**
   * Nesting allowed in a request body. No resource here comes near it, and a body the JSON parser
   * accepts (up to 1 000 levels) would break whatever parses it again once wrapped, such as an
   * outbox event.
   */
  private static final int MAX_DEPTH = 32;

  /** The parsed body, kept for the handler once the contract's validation parsed it. */
  private static final String PARSED_BODY = "json.parsedBody";

  private Json() {}

  /**
   * A POST route taking a JSON body. The content type is checked before the body is read, so a form
   * or multipart body is refused unread, never decoded; the body is then validated against the API
   * contract.
   */
  public static void post(
      Router router, String path, BodyHandler body, Handler<RoutingContext> handler) {
    jsonPost(router, path)
        .handler(ctx -> readBody(ctx, body))
        .handler(ApiContract::validateBody)
        .handler(handler);
  }

  /** A PUT route taking a JSON body, checked like {@link #post}. */
  public static void put(
      Router router, String path, BodyHandler body, Handler<RoutingContext> handler) {
    router
        .put(path)
        .handler(Json::requireJsonBody)
        .handler(ctx -> readBody(ctx, body))
        .handler(handler);
  }

  /**
   * A POST route that ignores its body: one declared as something other than JSON is still refused,
   * unread.
   */
  public static void postWithoutBody(Router router, String path, Handler<RoutingContext> handler) {
    jsonPost(router, path).handler(handler);
  }

  private static Route jsonPost(Router router, String path) {
    return router.post(path).handler(Json::requireJsonBody);
  }

  /** Refuses bodies declared as something other than JSON; a missing content type is accepted. */
  private static void requireJsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type != null && !isJson(type)) {
      ctx.fail(
          new ApiException(
              415,
              Violation.of(
                  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                  null,
                  "content-type must be application/json, got " + type)));
      return;
    }
    ctx.next();
  }

  /** {@code application/json} or a {@code +json} type, whatever its parameters. */
  private static boolean isJson(String contentType) {
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json")
        || mediaType.startsWith("application/") && mediaType.endsWith("+json");
  }

  /**
   * Reads the body with the BodyHandler. A failure of the request stream itself (a malformed chunk,
   * the client going away) would reach the BodyHandler's own handler as an unclassified exception:
   * it is the request's fault.
   */
  private static void readBody(RoutingContext ctx, BodyHandler body) {
    body.handle(ctx);
    ctx.request()
        .exceptionHandler(
            e -> {
              if (!ctx.failed() && !ctx.response().ended()) {
                ctx.fail(new UnreadableRequestException(e));
              }
            });
  }

  /**
   * The body as a JSON object; malformed JSON, a non-object or one nested too deep fails with
   * MALFORMED_JSON.
   */
  public static JsonObject bodyObject(RoutingContext ctx) {
    if (!(parsedBody(ctx) instanceof JsonObject object)) {
      throw malformed("request body must be a JSON object");
    }
    return object;
  }

  /** The body as a JSON array (a batch), with the same checks as {@link #bodyObject}. */
  public static JsonArray bodyArray(RoutingContext ctx) {
    if (!(parsedBody(ctx) instanceof JsonArray array)) {
      throw malformed("request body must be a JSON array");
    }
    return array;
  }

  /**
   * The body parsed once (the contract's validation and the handler both ask): malformed JSON, an
   * empty body or one nested too deep fails with MALFORMED_JSON.
   */
  static Object parsedBody(RoutingContext ctx) {
    Object parsed = ctx.get(PARSED_BODY);
    if (parsed == null) {
      parsed = parseBody(ctx);
      ctx.put(PARSED_BODY, parsed);
    }
    return parsed;
  }

  private static Object parseBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw malformed("request body is empty");
    }
    Object parsed = io.vertx.core.json.Json.decodeValue(body);
    if (nestedDeeperThan(parsed, MAX_DEPTH)) {
      throw malformed("request body is nested deeper than " + MAX_DEPTH + " levels");
    }
    return parsed;
  }

  private static ApiException malformed(String message) {
    return new ApiException(400, Violation.of(ErrorCode.MALFORMED_JSON, null, message));
  }

  /**
   * Whether a container inside {@code root} (depth 1) lies deeper than {@code limit}; iterative, so
   * any depth is safe.
   */
  private static boolean nestedDeeperThan(Object root, int limit) {
    record Node(Object value, int depth) {}
    Deque<Node> pending = new ArrayDeque<>();
    pending.push(new Node(root, 1));
    while (!pending.isEmpty()) {
      Node node = pending.pop();
      Collection<?> children = children(node.value());
      if (children == null) {
        continue;
      }
      if (node.depth() > limit) {
        return true;
      }
      children.forEach(child -> pending.push(new Node(child, node.depth() + 1)));
    }
    return false;
  }

  /** The values inside an object or array; null for anything else. */
  private static Collection<?> children(Object value) {
    if (value instanceof JsonObject object) {
      return object.getMap().values();
    }
    if (value instanceof JsonArray array) {
      return array.getList();
    }
    if (value instanceof Map<?, ?> map) {
      return map.values();
    }
    return value instanceof List<?> list ? list : null;
  }

  public static void respond(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
