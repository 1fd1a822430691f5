package http;

import audit.Audit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import mongo.AuditQueries;

/**
 * GET /api/v1/audit-logs: filtered, newest first, bounded, and paged by cursor (keyset on
 * timestamp, _id).
 */
public final class AuditRoutes implements RouteModule {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final AuditQueries audit;

  public AuditRoutes(AuditQueries audit) {
    this.audit = audit;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/v1/audit-logs").handler(this::find);
  }

  private void find(RoutingContext ctx) {
    String action =
        enumParam(
            ctx,
            "action",
            Arrays.stream(Audit.Action.values()).map(Enum::name).toArray(String[]::new));
    String status = enumParam(ctx, "status", "success", "failed");
    int limit = Paging.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    AuditQueries.After after = after(ctx);
    audit
        .find(
            ctx.request().getParam("trade_id"),
            action,
            status,
            instant(ctx, "from"),
            instant(ctx, "to"),
            after,
            limit + 1)
        .onSuccess(items -> Json.respond(ctx, 200, body(ctx, items, limit)))
        .onFailure(ctx::fail);
  }

  /** One entry more than a page was asked for: whether it came says if there is a next page. */
  private static JsonObject body(RoutingContext ctx, List<JsonObject> found, int limit) {
    boolean more = found.size() > limit;
    List<JsonObject> items = more ? found.subList(0, limit) : found;
    String cursor = more ? Cursor.encode(cursorOf(items.get(items.size() - 1))) : null;
    items.forEach(item -> item.remove("_id"));
    return new JsonObject()
        .put("items", new JsonArray(items))
        .put("count", items.size())
        .put("limit", limit)
        .put("next", cursor == null ? null : nextLink(ctx, cursor))
        .put("next_cursor", cursor);
  }

  /** The cursor key of an entry: its timestamp in epoch milliseconds and its object id. */
  private static String cursorOf(JsonObject entry) {
    return Instant.parse(entry.getString("timestamp")).toEpochMilli()
        + ":"
        + entry.getString("_id");
  }

  private static AuditQueries.After after(RoutingContext ctx) {
    String cursor = ctx.request().getParam(Cursor.PARAM);
    if (cursor == null) {
      return null;
    }
    String[] key = Cursor.decode(cursor).split(":", 2);
    try {
      if (key.length == 2 && key[1].matches("[0-9a-f]{24}")) {
        return new AuditQueries.After(Instant.ofEpochMilli(Long.parseLong(key[0])), key[1]);
      }
    } catch (NumberFormatException | java.time.DateTimeException e) {
      // reported below, like any cursor this service did not hand out
    }
    throw ApiException.badParameter(
        Cursor.PARAM,
        "cursor is not one this service handed out: pass the next_cursor "
            + "of the last page unchanged");
  }

  /** The same filters and limit, from the cursor on. */
  private static String nextLink(RoutingContext ctx, String cursor) {
    StringBuilder link = new StringBuilder(ctx.request().path()).append("?cursor=").append(cursor);
    for (String name : new String[] {"trade_id", "action", "status", "from", "to", "limit"}) {
      String value = ctx.request().getParam(name);
      if (value != null) {
        link.append('&')
            .append(name)
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    return link.toString();
  }

  private static String enumParam(RoutingContext ctx, String name, String... allowed) {
    String value = ctx.request().getParam(name);
    if (value == null || Arrays.asList(allowed).contains(value)) {
      return value;
    }
    throw ApiException.badParameter(name, name + " must be one of " + String.join(", ", allowed));
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badParameter(
          name, name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
