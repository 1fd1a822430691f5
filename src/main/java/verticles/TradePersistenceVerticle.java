package verticles;

import audit.Audit;
import codec.TradeJson;
import domain.ErrorCode;
import domain.Trade;
import domain.TradeRules;
import domain.UpsertResult;
import domain.UpsertTrade;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.PgPools;
import store.StoreFailures;
import store.TradeStore;

/**
 * Owns writes to the trades table: applies the maturity rule, then the version rule atomically in SQL,
 * flags matured trades, and audits every outcome.
 */
public final class TradePersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TradePersistenceVerticle.class);
  /** A timer tick claims the run when the last one is at least this share of the interval ago. */
  private static final double TICK_SLACK = 0.9;

  private final TradeRules rules;
  private Pool pool;
  private TradeStore store;

  /** @param clock whose date is "today" for the maturity rule and the expiry */
  public TradePersistenceVerticle(Clock clock) {
    this.rules = new TradeRules(clock);
  }

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new TradeStore(pool);
    return Future.all(
        vertx.eventBus().<UpsertTrade>consumer(Addresses.TRADES_UPSERT, this::upsert).completion(),
        vertx.eventBus().<String>consumer(Addresses.TRADES_DELETE, this::delete).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.TRADES_EXPIRE, this::expire).completion());
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void upsert(Message<UpsertTrade> message) {
    Trade trade = message.body().trade();
    String source = message.body().source().wireName();
    String correlationId = correlationId(message);
    Violation maturity = rules.checkMaturity(trade).orElse(null);
    if (maturity != null) {
      replyAndAudit(message, UpsertResult.rejected(trade, maturity), source, correlationId);
      return;
    }
    store.upsertAll(List.of(trade))
        .map(results -> results.get(0))
        .onSuccess(result -> replyAndAudit(message, result, source, correlationId))
        .onFailure(e -> StoreFailures.reply(message, "trade " + trade.tradeId(), correlationId, e, LOG));
  }

  private void replyAndAudit(Message<UpsertTrade> message, UpsertResult result, String source, String correlationId) {
    message.reply(result);
    Trade trade = result.trade();
    LOG.debug("[corr={}] trade {} v{} from {}: {}", correlationId, trade.tradeId(), trade.version(), source,
        result.outcome());
    if (result.isRejected()) {
      Audit.trade(vertx, trade.tradeId(), Audit.Action.VALIDATION_FAILED, false,
          TradeJson.toJson(result.violation()).put("trade", TradeJson.toJson(trade)), correlationId, source);
    } else {
      Audit.Action action = result.outcome() == UpsertResult.Outcome.CREATED ? Audit.Action.CREATE : Audit.Action.UPDATE;
      Audit.trade(vertx, trade.tradeId(), action, true,
          new JsonObject().put("outcome", result.outcome().name()).put("trade", TradeJson.toJson(trade)),
          correlationId, source);
    }
  }

  private void delete(Message<String> message) {
    String correlationId = correlationId(message);
    store.delete(message.body())
        .onSuccess(deleted -> deleted.ifPresentOrElse(
            trade -> {
              message.reply(trade);
              Audit.trade(vertx, trade.tradeId(), Audit.Action.DELETE, true,
                  new JsonObject().put("trade", TradeJson.toJson(trade)), correlationId, "rest");
            },
            () -> message.fail(404, TradeJson.toJson(Violation.of(ErrorCode.NOT_FOUND, "trade_id",
                "trade " + message.body() + " not found")).encode())))
        .onFailure(e -> StoreFailures.reply(message, "delete of " + message.body(), correlationId, e, LOG));
  }

  /** Body: {trigger: "timer"|"manual", min_interval_ms}. Reply: {expired, cutoff, ran}. */
  private void expire(Message<JsonObject> message) {
    String correlationId = correlationId(message);
    String trigger = message.body().getString("trigger", "manual");
    double minSeconds = message.body().getLong("min_interval_ms", 0L) * TICK_SLACK / 1000.0;
    var today = rules.today();
    store.expireMatured(today, minSeconds)
        .onSuccess(claimed -> {
          JsonObject reply = new JsonObject().put("cutoff", today.toString()).put("ran", claimed.isPresent())
              .put("expired", claimed.orElse(0L));
          claimed.ifPresent(count -> {
            LOG.info("[corr={}] expiry ({}) flagged {} trades maturing before {}", correlationId, trigger, count, today);
            Audit.event(vertx, "TRADES_EXPIRED", "info", reply.copy().put("trigger", trigger)
                .put("correlation_id", correlationId));
          });
          message.reply(reply);
        })
        .onFailure(e -> StoreFailures.reply(message, "expiry", correlationId, e, LOG));
  }

  private static String correlationId(Message<?> message) {
    return message.headers().get(Addresses.CORRELATION_ID);
  }
}
