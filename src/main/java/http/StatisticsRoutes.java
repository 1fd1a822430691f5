package http;

import contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import mongo.AuditQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.ApiSettings;
import store.TradeStore;

/**
 * GET /api/v1/statistics: the maintained trade counters from PostgreSQL (a few rows, cached for
 * {@code STATISTICS_CACHE_MS}) and the dead-letter count from the audit trail, read at most once a
 * second whatever the request rate (a count of a collection that grows). When MongoDB is down the
 * counters are still served, with the audit part marked unavailable.
 *
 * <p>POST /api/v1/admin/statistics/repair: recounts the counters from the tables and reports the
 * drift.
 */
public final class StatisticsRoutes implements RouteModule {
  private static final Logger LOG = LoggerFactory.getLogger(StatisticsRoutes.class);
  private static final int MAX_BOOKS = 1000;
  private static final long AUDIT_COUNTS_EVERY_MS = 1_000;

  /**
   * Where each figure comes from, in the answer itself. Only dlq_count is read from the audit trail
   * (MongoDB): records too malformed to parse never reach PostgreSQL. It counts what the audit
   * holds, so it restarts from zero when the audit store loses its data (the in-memory stand-in of
   * dev mode on restart) while every other figure, kept in PostgreSQL in the transactions that
   * change the trades, does not.
   */
  private static final JsonObject COUNTED_FROM =
      new JsonObject()
          .put("total_trades", "postgresql")
          .put("active_trades", "postgresql")
          .put("expired_trades", "postgresql")
          .put("trades_by_book", "postgresql")
          .put("processed_by_source", "postgresql")
          .put("validation_failures", "postgresql")
          .put("validation_failures_by_source", "postgresql")
          .put("last_expiry_run", "postgresql")
          .put("dlq_count", "audit (MongoDB audit_logs, VALIDATION_FAILED from kafka)");

  private final Vertx vertx;
  private final TradeStore trades;
  private final AuditQueries audit;
  private final long timeoutMs;
  private final SharedAnswer<JsonObject> counts;
  private final SharedAnswer<JsonObject> auditCounts = new SharedAnswer<>(AUDIT_COUNTS_EVERY_MS);

  public StatisticsRoutes(
      Vertx vertx, TradeStore trades, AuditQueries audit, ApiSettings settings) {
    this.vertx = vertx;
    this.trades = trades;
    this.audit = audit;
    this.counts = new SharedAnswer<>(settings.statisticsCacheMs());
    // A repair waits for in-flight writers and recounts the whole table: it gets longer than a
    // request.
    this.timeoutMs = Math.max(60_000L, settings.requestTimeoutMs());
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/v1/statistics").handler(this::statistics);
    Json.postWithoutBody(router, "/api/v1/admin/statistics/repair", this::repair);
  }

  private void statistics(RoutingContext ctx) {
    current().onSuccess(body -> Json.respond(ctx, 200, body)).onFailure(ctx::fail);
  }

  /** Dashboards poll: concurrent and close requests share one read. */
  private Future<JsonObject> current() {
    return counts.get(this::read).map(JsonObject::copy);
  }

  private Future<JsonObject> read() {
    Future<JsonObject> fromAudit = auditCounts();
    return trades
        .statistics(MAX_BOOKS)
        .compose(tradeCounts -> fromAudit.map(tradeCounts::mergeIn))
        .map(body -> body.put("counted_from", COUNTED_FROM.copy()));
  }

  private Future<JsonObject> auditCounts() {
    return auditCounts.get(this::readAuditCounts).map(JsonObject::copy);
  }

  private Future<JsonObject> readAuditCounts() {
    return audit
        .counts()
        .recover(
            e -> {
              LOG.warn("Audit counts unavailable: {}", e.toString());
              return Future.succeededFuture(
                  new JsonObject().put("audit_unavailable", "the audit store did not answer"));
            });
  }

  private void repair(RoutingContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.TRADES_COUNTERS_REPAIR,
            new JsonObject(),
            CorrelationIds.delivery(ctx, timeoutMs))
        .onSuccess(
            reply -> {
              counts.forget();
              Json.respond(ctx, 200, reply.body());
            })
        .onFailure(ctx::fail);
  }
}
