package verticles;

import app.ConfigKeys;
import domain.ErrorCode;
import domain.Trade;
import domain.TradeRules;
import domain.UpsertResult;
import domain.UpsertTrade;
import domain.Violation;
import codec.TradeJson;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.PgPools;
import store.TradeStore;

/** Owns writes to the trades table: applies the maturity rule, then the version rule atomically in SQL. */
public final class TradePersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TradePersistenceVerticle.class);
  /** Failure code for infrastructure errors: the caller may retry, the input was fine. */
  public static final int UNAVAILABLE = 503;

  private Pool pool;
  private TradeStore store;
  private TradeRules rules;

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new TradeStore(pool);
    rules = new TradeRules(Clock.system(ZoneId.of(config().getString(ConfigKeys.TRADES_ZONE, "UTC"))));
    return Future.all(
        vertx.eventBus().<UpsertTrade>consumer(Addresses.TRADES_UPSERT, this::upsert).completion(),
        vertx.eventBus().<String>consumer(Addresses.TRADES_DELETE, this::delete).completion());
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void upsert(Message<UpsertTrade> message) {
    Trade trade = message.body().trade();
    String correlationId = message.headers().get(Addresses.CORRELATION_ID);
    Violation maturity = rules.checkMaturity(trade).orElse(null);
    if (maturity != null) {
      message.reply(UpsertResult.rejected(trade, maturity));
      return;
    }
    store.upsertAll(List.of(trade))
        .map(results -> results.get(0))
        .onSuccess(result -> {
          LOG.debug("[corr={}] trade {} v{} {}", correlationId, trade.tradeId(), trade.version(), result.outcome());
          message.reply(result);
        })
        .onFailure(e -> failUnavailable(message, correlationId, e));
  }

  private void delete(Message<String> message) {
    String correlationId = message.headers().get(Addresses.CORRELATION_ID);
    store.delete(message.body())
        .onSuccess(deleted -> deleted.ifPresentOrElse(message::reply, () -> message.fail(404,
            TradeJson.toJson(Violation.of(ErrorCode.NOT_FOUND, "trade_id", "trade " + message.body() + " not found"))
                .encode())))
        .onFailure(e -> failUnavailable(message, correlationId, e));
  }

  private static void failUnavailable(Message<?> message, String correlationId, Throwable e) {
    LOG.warn("[corr={}] trade store unavailable: {}", correlationId, e.getMessage());
    message.fail(UNAVAILABLE, "trade store unavailable: " + e.getMessage());
  }
}
