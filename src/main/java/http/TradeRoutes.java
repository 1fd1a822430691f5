package http;

import codec.TradeJson;
import contract.Addresses;
import domain.Trade;
import domain.TradeParser;
import domain.TradeRules;
import domain.UpsertResult;
import domain.UpsertTrade;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import settings.ApiSettings;
import store.TradeStore;

/**
 * /api/v1/trades: writes go over the bus to the trade persistence verticle, reads straight to
 * PostgreSQL.
 */
public final class TradeRoutes implements RouteModule {
  private static final String BASE = "/api/v1/trades";

  private final Vertx vertx;
  private final TradeStore store;
  private final TradeRules rules;
  private final long timeoutMs;
  private final int defaultPageSize;
  private final int maxPageSize;
  private final long maxOffset;

  public TradeRoutes(Vertx vertx, TradeStore store, ApiSettings settings, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.rules = new TradeRules(clock);
    this.timeoutMs = settings.requestTimeoutMs();
    this.defaultPageSize = settings.trades().defaultSize();
    this.maxPageSize = settings.trades().maxSize();
    this.maxOffset = settings.maxOffset();
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    Json.post(router, BASE, body, this::upsert);
    router.get(BASE).handler(this::list);
    router.get(BASE + "/book/:bookId").handler(this::listByBook);
    router.get(BASE + "/:tradeId").handler(this::find);
    router.delete(BASE + "/:tradeId").handler(this::delete);
    Json.postWithoutBody(router, "/api/v1/expire-trades", this::expire);
  }

  private void upsert(RoutingContext ctx) {
    Trade trade = TradeParser.parse(Json.bodyObject(ctx).getMap(), rules.today());
    vertx
        .eventBus()
        .<UpsertResult>request(
            Addresses.TRADES_UPSERT,
            new UpsertTrade(trade, UpsertTrade.Source.REST),
            CorrelationIds.delivery(ctx, timeoutMs))
        .onSuccess(reply -> respondToUpsert(ctx, reply.body()))
        .onFailure(ctx::fail);
  }

  private void respondToUpsert(RoutingContext ctx, UpsertResult result) {
    if (result.isRejected()) {
      ApiErrors.respond(ctx, 400, result.violation());
      return;
    }
    int status = result.outcome() == UpsertResult.Outcome.CREATED ? 201 : 200;
    if (status == 201) {
      Locations.put(ctx, BASE, result.trade().tradeId());
    }
    ctx.response().putHeader("X-Upsert-Outcome", result.outcome().name());
    Json.respond(ctx, status, TradeJson.toJson(result.trade()));
  }

  private void list(RoutingContext ctx) {
    Paging paging = paging(ctx);
    (paging.byCursor()
            ? store.listAfter(paging.after(), paging.size())
            : store.list(paging.size(), paging.offset()))
        .onSuccess(
            page ->
                Json.respond(
                    ctx, 200, paging.body(page, TradeJson::toJson, Trade::tradeId, BASE, "")))
        .onFailure(ctx::fail);
  }

  private void listByBook(RoutingContext ctx) {
    String bookId = TradeParser.id(ctx.pathParam("bookId"), "book_id");
    Paging paging = paging(ctx);
    (paging.byCursor()
            ? store.listByBookAfter(bookId, paging.after(), paging.size())
            : store.listByBook(bookId, paging.size(), paging.offset()))
        .onSuccess(
            page ->
                Json.respond(
                    ctx,
                    200,
                    paging.body(
                        page, TradeJson::toJson, Trade::tradeId, BASE + "/book/" + bookId, "")))
        .onFailure(ctx::fail);
  }

  private Paging paging(RoutingContext ctx) {
    return Paging.from(ctx, defaultPageSize, maxPageSize, maxOffset);
  }

  private void find(RoutingContext ctx) {
    String tradeId = TradeParser.id(ctx.pathParam("tradeId"), "trade_id");
    store
        .find(tradeId)
        .onSuccess(
            found ->
                found.ifPresentOrElse(
                    trade -> Json.respond(ctx, 200, TradeJson.toJson(trade)),
                    () ->
                        ctx.fail(
                            ApiException.notFound("trade_id", "trade " + tradeId + " not found"))))
        .onFailure(ctx::fail);
  }

  /** Manual trigger of the expiry job; runs at once, whatever the timer did. */
  private void expire(RoutingContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.TRADES_EXPIRE,
            new JsonObject().put("trigger", "manual"),
            CorrelationIds.delivery(ctx, timeoutMs))
        .onSuccess(reply -> Json.respond(ctx, 200, reply.body()))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String tradeId = TradeParser.id(ctx.pathParam("tradeId"), "trade_id");
    vertx
        .eventBus()
        .<Trade>request(Addresses.TRADES_DELETE, tradeId, CorrelationIds.delivery(ctx, timeoutMs))
        .onSuccess(
            reply -> {
              if (reply.body() == null) {
                ctx.fail(ApiException.notFound("trade_id", "trade " + tradeId + " not found"));
              } else {
                ctx.response().setStatusCode(204).end();
              }
            })
        .onFailure(ctx::fail);
  }
}
