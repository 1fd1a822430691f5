package http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import store.AuditQueries;
import store.TradeStore;

/**
 * GET /api/v1/statistics: trade counts from PostgreSQL and processing counts from the audit trail.
 * When MongoDB is down the trade counts are still served, with the audit part marked unavailable.
 */
public final class StatisticsRoutes implements RouteModule {
  private static final int MAX_BOOKS = 1000;

  private final TradeStore trades;
  private final AuditQueries audit;

  public StatisticsRoutes(TradeStore trades, AuditQueries audit) {
    this.trades = trades;
    this.audit = audit;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/v1/statistics").handler(this::statistics);
  }

  private void statistics(RoutingContext ctx) {
    Future<JsonObject> auditCounts = audit.counts()
        .recover(e -> Future.succeededFuture(new JsonObject().put("audit_unavailable", e.getMessage())));
    trades.statistics(MAX_BOOKS)
        .compose(tradeCounts -> auditCounts.map(tradeCounts::mergeIn))
        .onSuccess(body -> Json.respond(ctx, 200, body))
        .onFailure(ctx::fail);
  }
}
