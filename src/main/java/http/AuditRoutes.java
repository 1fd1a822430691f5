package http;

import audit.Audit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import store.AuditQueries;

/** GET /api/v1/audit-logs: filtered, newest first, bounded. */
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
    String action = enumParam(ctx, "action", Arrays.stream(Audit.Action.values()).map(Enum::name).toArray(String[]::new));
    String status = enumParam(ctx, "status", "success", "failed");
    int limit = Paging.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    audit.find(ctx.request().getParam("trade_id"), action, status, instant(ctx, "from"), instant(ctx, "to"), limit)
        .onSuccess(items -> Json.respond(ctx, 200,
            new JsonObject().put("items", new JsonArray(items)).put("count", items.size()).put("limit", limit)))
        .onFailure(ctx::fail);
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
      throw ApiException.badParameter(name, name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
