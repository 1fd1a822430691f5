package http;

import codec.IdempotencyJson;
import codec.Outcomes;
import contract.Addresses;
import domain.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import resources.FinPulse;
import resources.Resource;
import security.AccessControl;
import settings.ApiSettings;
import store.ResourceStore;

/**
 * Every described resource under /api/v1/{name}: list (paged like the trades, filterable by one
 * reference, e.g. {@code ?portfolio_id=P1}), get, create, batch create, update (PUT, replaces every
 * field) and delete. Reads go straight to PostgreSQL; writes go over the bus to their owner ({@code
 * finpulse.write}), which checks, scores and stores them. Both reach only the caller's own objects,
 * unless it is staff ({@link Caller}); another customer's object is answered as one that does not
 * exist. Personal data is masked unless the caller may see it.
 */
public final class ResourceRoutes implements RouteModule {
  private static final String API = "/api/v1/";

  /** What a masked personal field holds. */
  static final String MASKED = "***";

  private final Vertx vertx;
  private final Pool pool;
  private final List<ResourceStore> stores;
  private final long timeoutMs;
  private final int defaultPageSize;
  private final int maxPageSize;
  private final long maxOffset;

  public ResourceRoutes(Vertx vertx, Pool pool, List<Resource> resources, ApiSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.stores = resources.stream().map(ResourceStore::new).toList();
    this.timeoutMs = settings.requestTimeoutMs();
    this.defaultPageSize = settings.resources().defaultSize();
    this.maxPageSize = settings.resources().maxSize();
    this.maxOffset = settings.maxOffset();
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    stores.stream()
        .filter(store -> store.resource().name().equals(FinPulse.RISK_METRICS))
        .findFirst()
        .ifPresent(riskMetrics -> mountVar(router, body, riskMetrics));
    for (ResourceStore store : stores) {
      String base = API + store.resource().name();
      router.get(base).handler(ctx -> list(ctx, store, base));
      router.get(base + "/:id").handler(ctx -> find(ctx, store));
      Json.post(router, base, body, ctx -> create(ctx, store, base));
      Json.post(router, base + "/batch", body, ctx -> createAll(ctx, store));
      Json.put(router, base + "/:id", body, ctx -> update(ctx, store));
      router.delete(base + "/:id").handler(ctx -> delete(ctx, store));
    }
  }

  /**
   * VaR computed from a portfolio's history and stored as a risk-metrics row, for one or many
   * portfolios.
   */
  private void mountVar(Router router, BodyHandler body, ResourceStore riskMetrics) {
    String base = API + FinPulse.RISK_METRICS;
    Json.post(
        router,
        base + "/compute",
        body,
        ctx ->
            write(ctx, riskMetrics, "var", null, Json.bodyObject(ctx))
                .onSuccess(reply -> Json.respond(ctx, 201, reply.getJsonObject("entity"))));
    Json.post(
        router,
        base + "/compute-batch",
        body,
        ctx ->
            write(ctx, riskMetrics, "var-batch", null, Json.bodyObject(ctx))
                .onSuccess(
                    reply ->
                        Json.respond(
                            ctx,
                            200,
                            new JsonObject().put("results", reply.getJsonArray("results")))));
  }

  private void list(RoutingContext ctx, ResourceStore store, String base) {
    Paging paging = Paging.from(ctx, defaultPageSize, maxPageSize, maxOffset);
    String filter =
        ctx.queryParams().names().stream().filter(store::filters).findFirst().orElse(null);
    String value = filter == null ? null : ctx.request().getParam(filter);
    String query =
        filter == null ? "" : "&" + filter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    Caller caller = AccessControl.callerOf(ctx);
    store
        .list(
            pool, caller.readOwner(), filter, value, paging.after(), paging.size(), paging.offset())
        .onSuccess(
            page ->
                Json.respond(
                    ctx,
                    200,
                    paging.body(
                        page,
                        entity -> visible(entity, store, caller),
                        entity -> entity.getString(store.resource().id()),
                        base,
                        query)))
        .onFailure(ctx::fail);
  }

  private void find(RoutingContext ctx, ResourceStore store) {
    String id = id(ctx, store);
    Caller caller = AccessControl.callerOf(ctx);
    store
        .find(pool, caller.readOwner(), id)
        .onSuccess(
            found ->
                found.ifPresentOrElse(
                    entity -> Json.respond(ctx, 200, visible(entity, store, caller)),
                    () -> ctx.fail(notFound(store, id))))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx, ResourceStore store, String base) {
    write(ctx, store, "create", null, Json.bodyObject(ctx))
        .onSuccess(
            reply -> {
              JsonObject entity = reply.getJsonObject("entity");
              Locations.put(ctx, base, entity.getString(store.resource().id()));
              Json.respond(ctx, 201, visible(entity, store, AccessControl.callerOf(ctx)));
            });
  }

  /** All or none; answers the created entities as a JSON array, in the order given. */
  private void createAll(RoutingContext ctx, ResourceStore store) {
    Caller caller = AccessControl.callerOf(ctx);
    write(ctx, store, "batch", null, Json.bodyArray(ctx))
        .onSuccess(
            reply ->
                ctx.response()
                    .setStatusCode(201)
                    .putHeader("content-type", "application/json")
                    .end(
                        new JsonArray(
                                reply.getJsonArray("entities").stream()
                                    .map(entity -> visible((JsonObject) entity, store, caller))
                                    .toList())
                            .encode()));
  }

  private void update(RoutingContext ctx, ResourceStore store) {
    String id = id(ctx, store);
    write(ctx, store, "update", id, Json.bodyObject(ctx))
        .onSuccess(
            reply ->
                Json.respond(
                    ctx,
                    200,
                    visible(reply.getJsonObject("entity"), store, AccessControl.callerOf(ctx))));
  }

  /**
   * The entity as the caller may see it: personal fields masked unless it may see the customer's
   * (pii:read, or its own).
   */
  private static JsonObject visible(JsonObject entity, ResourceStore store, Caller caller) {
    Resource resource = store.resource();
    if (resource.personalFields().isEmpty()
        || caller.seesPersonalDataOf(entity.getString(resource.id()))) {
      return entity;
    }
    JsonObject masked = entity.copy();
    resource.personalFields().stream()
        .filter(field -> masked.getValue(field) != null)
        .forEach(field -> masked.put(field, MASKED));
    return masked;
  }

  private void delete(RoutingContext ctx, ResourceStore store) {
    write(ctx, store, "delete", id(ctx, store), null)
        .onSuccess(reply -> ctx.response().setStatusCode(204).end());
  }

  /**
   * Sends a write to its owner, with the customer whose objects the caller may write (null: every
   * customer's) and, for a POST, the request's Idempotency-Key; a refusal or a missing id fails the
   * request with its status.
   */
  private Future<JsonObject> write(
      RoutingContext ctx, ResourceStore store, String op, String id, Object body) {
    Caller caller = AccessControl.callerOf(ctx);
    JsonObject message =
        new JsonObject()
            .put("resource", store.resource().name())
            .put("op", op)
            .put("id", id)
            .put("body", body)
            .put("owner", caller.writeOwner());
    if (ctx.request().method() == HttpMethod.POST) {
      IdempotencyJson.with(message, IdempotencyKeys.of(ctx));
    }
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.FINPULSE_WRITE, message, CorrelationIds.delivery(ctx, timeoutMs))
        .map(Message::body)
        .compose(reply -> answered(reply, store, id))
        .map(reply -> IdempotencyKeys.answered(ctx, reply))
        .onFailure(ctx::fail);
  }

  private static Future<JsonObject> answered(JsonObject reply, ResourceStore store, String id) {
    if (Outcomes.refusal(reply) != null) {
      return Future.failedFuture(ApiException.refused(Outcomes.refusal(reply)));
    }
    return Outcomes.NOT_FOUND.equals(reply.getString("status"))
        ? Future.failedFuture(notFound(store, id))
        : Future.succeededFuture(reply);
  }

  /** An id longer than any stored one cannot exist: 404 without a query. */
  private static String id(RoutingContext ctx, ResourceStore store) {
    String id = ctx.pathParam("id");
    if (id.length() > Resource.MAX_ID_LENGTH) {
      throw notFound(store, id);
    }
    return id;
  }

  private static ApiException notFound(ResourceStore store, String id) {
    Resource resource = store.resource();
    return ApiException.notFound(
        resource.id(), resource.name() + " " + abbreviate(id) + " not found");
  }

  private static String abbreviate(String id) {
    return id == null ? "" : domain.Fields.abbreviate(id);
  }
}
