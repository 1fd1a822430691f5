package verticles;

import app.MetricsRegistry;
import audit.Audit;
import codec.TradeJson;
import domain.ErrorCode;
import domain.Trade;
import domain.TradeRules;
import domain.UpsertResult;
import domain.UpsertTrade;
import domain.Violation;
import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.PgPools;
import store.StoreFailures;
import store.TradeStore;

/**
 * Owns writes to the trades table: applies the maturity rule, then the version rule atomically in SQL,
 * flags matured trades, and audits every outcome.
 *
 * <p>Upserts are group-committed: while one statement is in flight, new messages queue, and the next
 * statement takes everything queued (up to {@link #MAX_BATCH}). At low load a message is written at once;
 * under load batches grow by themselves. Each message still gets the outcome it would get if applied alone
 * in arrival order: a batch stops before a trade id it already holds, so one id's revisions go to
 * consecutive statements in order.
 */
public final class TradePersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TradePersistenceVerticle.class);
  /** A timer tick claims the run when the last one is at least this share of the interval ago. */
  private static final double TICK_SLACK = 0.9;
  static final int MAX_BATCH = 512;

  private record Pending(Message<UpsertTrade> message, String correlationId) {
    Trade trade() {
      return message.body().trade();
    }
  }

  private final TradeRules rules;
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  private boolean writing;
  private DistributionSummary batchSizes;
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
    batchSizes = DistributionSummary.builder("trades_upsert_batch_size")
        .description("trade upserts per statement (group commit)").register(MetricsRegistry.get());
    return Future.all(
        vertx.eventBus().<UpsertTrade>consumer(Addresses.TRADES_UPSERT, this::upsert).completion(),
        vertx.eventBus().<String>consumer(Addresses.TRADES_DELETE, this::delete).completion(),
        vertx.eventBus().<JsonObject>consumer(Addresses.TRADES_EXPIRE, this::expire).completion());
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  /** The maturity rule needs no stored state: a refusal is answered at once, the rest is queued. */
  private void upsert(Message<UpsertTrade> message) {
    Pending pending = new Pending(message, correlationId(message));
    Violation maturity = rules.checkMaturity(pending.trade()).orElse(null);
    if (maturity != null) {
      replyAndAudit(pending, UpsertResult.rejected(pending.trade(), maturity));
      return;
    }
    queued.add(pending);
    writeNext();
  }

  private void writeNext() {
    if (writing || queued.isEmpty()) {
      return;
    }
    writing = true;
    List<Pending> batch = nextBatch();
    batchSizes.record(batch.size());
    store.upsertAll(batch.stream().map(Pending::trade).toList())
        .compose(results -> {
          for (int i = 0; i < batch.size(); i++) {
            replyAndAudit(batch.get(i), results.get(i));
          }
          return Future.<Void>succeededFuture();
        })
        .recover(e -> StoreFailures.isBadData(e) ? upsertOneByOne(batch, 0) : failAll(batch, e))
        .onComplete(done -> {
          writing = false;
          writeNext();
        });
  }

  /** Queued messages in arrival order, up to MAX_BATCH, stopping before a trade id the batch already holds. */
  private List<Pending> nextBatch() {
    List<Pending> batch = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    while (!queued.isEmpty() && batch.size() < MAX_BATCH && ids.add(queued.peek().trade().tradeId())) {
      batch.add(queued.poll());
    }
    return batch;
  }

  /** The database refused something in the batch: each message alone, so only the bad one is refused. */
  private Future<Void> upsertOneByOne(List<Pending> batch, int next) {
    if (next == batch.size()) {
      return Future.succeededFuture();
    }
    Pending pending = batch.get(next);
    return store.upsertAll(List.of(pending.trade()))
        .onSuccess(results -> replyAndAudit(pending, results.get(0)))
        .onFailure(e -> StoreFailures.reply(pending.message(), "trade " + pending.trade().tradeId(),
            pending.correlationId(), e, LOG))
        .<Void>mapEmpty()
        .otherwiseEmpty()
        .compose(v -> upsertOneByOne(batch, next + 1));
  }

  /** An outage: every message of the batch fails as unavailable, so its sender retries it. */
  private Future<Void> failAll(List<Pending> batch, Throwable failure) {
    batch.forEach(pending -> StoreFailures.reply(pending.message(), "trade " + pending.trade().tradeId(),
        pending.correlationId(), failure, LOG));
    return Future.succeededFuture();
  }

  private void replyAndAudit(Pending pending, UpsertResult result) {
    Message<UpsertTrade> message = pending.message();
    String source = message.body().source().wireName();
    String correlationId = pending.correlationId();
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
