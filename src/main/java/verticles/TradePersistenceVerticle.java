package verticles;

import audit.Audit;
import batching.GroupCommit;
import bus.Answering;
import codec.TradeJson;
import contract.Addresses;
import contract.Headers;
import domain.Trade;
import domain.TradeRules;
import domain.UpsertBatch;
import domain.UpsertResult;
import domain.UpsertResults;
import domain.UpsertTrade;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import logging.Correlation;
import metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.PgPools;
import store.StoreFailures;
import store.TradeStore;

/**
 * Owns writes to the trades table: applies the maturity rule, then the version rule atomically in
 * SQL, flags matured trades, and audits every outcome.
 *
 * <p>Upserts are group-committed ({@link GroupCommit}): a batch is one {@code unnest} statement of
 * up to {@link #MAX_BATCH} trades. Each message still gets the outcome it would get if applied
 * alone in arrival order: a batch stops before a trade id it already holds, so one id's revisions
 * go to consecutive statements in order. A delete of an unknown id answers an empty body.
 *
 * <p>Refusals decided without the table (the maturity rule, a value the database refuses) queue
 * too, so the next statement counts them as validation failures before they are answered: every
 * statistic lives in PostgreSQL and is written with what it counts.
 */
public final class TradePersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TradePersistenceVerticle.class);

  /** A timer tick claims the run when the last one is at least this share of the interval ago. */
  private static final double TICK_SLACK = 0.9;

  static final int MAX_BATCH = 512;

  /**
   * Writers append counter deltas (no shared row to wait on); this often they are folded, so a read
   * of the counters sums about one interval's deltas.
   */
  private static final long FOLD_COUNTERS_EVERY_MS = 1_000;

  /**
   * A queued upsert: its outcome completes the reply of the message it came in (alone or in a
   * batch). With a {@code refusal} it is not written, only counted, and answered with that refusal.
   */
  private record Pending(
      UpsertTrade upsert,
      String correlationId,
      Promise<UpsertResult> outcome,
      GroupCommit.Unit unit,
      Violation refusal)
      implements GroupCommit.Item {
    Trade trade() {
      return upsert.trade();
    }

    String source() {
      return upsert.source().wireName();
    }

    Pending refused(Violation violation) {
      return new Pending(upsert, correlationId, outcome, unit, violation);
    }

    /**
     * One statement cannot touch one row twice, and a trade id's revisions apply in arrival order.
     */
    @Override
    public Object conflictKey() {
      return refusal == null ? upsert.trade().tradeId() : null;
    }

    @Override
    public Object orderingKey() {
      return upsert.trade().tradeId();
    }
  }

  private final TradeRules rules;
  private GroupCommit<Pending> upserts;
  private Pool pool;
  private TradeStore store;
  private long foldTimer;

  /**
   * @param clock whose date is "today" for the maturity rule and the expiry
   */
  public TradePersistenceVerticle(Clock clock) {
    this.rules = new TradeRules(clock);
  }

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new TradeStore(pool);
    upserts =
        new GroupCommit<>(
            Meters.TRADES_UPSERT_BATCH_SIZE, MAX_BATCH, this::upsertAndAnswer, this::answerFailure);
    foldTimer = vertx.setPeriodic(FOLD_COUNTERS_EVERY_MS, id -> foldCounters());
    return Future.all(
        vertx
            .eventBus()
            .<Object>consumer(Addresses.TRADES_UPSERT, Answering.always(LOG, this::upsert))
            .completion(),
        vertx
            .eventBus()
            .<String>consumer(Addresses.TRADES_DELETE, Answering.always(LOG, this::delete))
            .completion(),
        vertx
            .eventBus()
            .<JsonObject>consumer(Addresses.TRADES_EXPIRE, Answering.always(LOG, this::expire))
            .completion(),
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.TRADES_COUNTERS_REPAIR, Answering.always(LOG, this::repairCounters))
            .completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(foldTimer);
    return pool.close();
  }

  /** A failed fold loses nothing: the deltas stay, read as they are, until the next one. */
  private void foldCounters() {
    store
        .foldCounters()
        .onFailure(e -> LOG.warn("Counter deltas not folded this time: {}", e.toString()));
  }

  /**
   * Body: one {@link UpsertTrade} (reply: its {@link UpsertResult}), or an {@link UpsertBatch}
   * (reply: {@link UpsertResults}).
   */
  private void upsert(Message<Object> message) {
    if (message.body() instanceof UpsertBatch batch) {
      upsertBatch(message, batch);
      return;
    }
    String correlationId = correlationId(message);
    UpsertTrade upsert = (UpsertTrade) message.body();
    queue(upsert, correlationId, null)
        .future()
        .onSuccess(message::reply)
        .onFailure(e -> Answering.fail(message, "trade " + upsert.trade().tradeId(), e, LOG));
  }

  /**
   * One unit: after an outage fails one upsert, the later ones fail unwritten, and the sender
   * retries the run.
   */
  private void upsertBatch(Message<Object> message, UpsertBatch batch) {
    GroupCommit.Unit unit = new GroupCommit.Unit();
    List<Future<UpsertResult>> outcomes = new ArrayList<>(batch.upserts().size());
    for (int i = 0; i < batch.upserts().size(); i++) {
      outcomes.add(queue(batch.upserts().get(i), batch.correlationIds().get(i), unit).future());
    }
    Future.all(outcomes)
        .onSuccess(
            done ->
                message.reply(new UpsertResults(outcomes.stream().map(Future::result).toList())))
        .onFailure(e -> Answering.fail(message, "run of " + outcomes.size() + " trades", e, LOG));
  }

  /**
   * The maturity rule needs no stored state: a refusal of it is decided here, and queued to be
   * counted.
   */
  private Promise<UpsertResult> queue(
      UpsertTrade upsert, String correlationId, GroupCommit.Unit unit) {
    Pending pending = new Pending(upsert, correlationId, Promise.promise(), unit, null);
    upserts.add(rules.checkMaturity(pending.trade()).map(pending::refused).orElse(pending));
    return pending.outcome();
  }

  private Future<Void> upsertAndAnswer(List<Pending> batch) {
    List<Pending> toWrite = batch.stream().filter(p -> p.refusal() == null).toList();
    List<String> refusedSources =
        batch.stream().filter(p -> p.refusal() != null).map(Pending::source).toList();
    return store
        .upsertAll(
            toWrite.stream().map(Pending::trade).toList(),
            toWrite.stream().map(Pending::source).toList(),
            refusedSources)
        .map(
            results -> {
              List<JsonObject> audit = new ArrayList<>(batch.size());
              int written = 0;
              for (Pending pending : batch) {
                UpsertResult result =
                    pending.refusal() != null
                        ? UpsertResult.rejected(pending.trade(), pending.refusal())
                        : results.get(written++);
                audit.add(complete(pending, result));
              }
              Audit.trades(vertx, audit); // one message for the batch
              return null;
            });
  }

  /**
   * Data the database refused is this trade's outcome: queued again as a refusal, to be counted
   * like the others before it is answered. Anything else fails its outcome, answered by the one
   * failure policy.
   */
  private void answerFailure(Pending pending, Throwable failure) {
    if (StoreFailures.isBadData(failure) && pending.refusal() == null) {
      Correlation.log(
          pending.correlationId(),
          () ->
              LOG.warn(
                  "trade {} refused by the database: {}",
                  pending.trade().tradeId(),
                  failure.getMessage()));
      upserts.add(pending.refused(StoreFailures.refusal(failure)));
    } else {
      pending.outcome().fail(failure);
    }
  }

  /** Completes the upsert's outcome, and returns the audit entry of it. */
  private static JsonObject complete(Pending pending, UpsertResult result) {
    String source = pending.upsert().source().wireName();
    String correlationId = pending.correlationId();
    pending.outcome().complete(result);
    Trade trade = result.trade();
    if (LOG.isDebugEnabled()) { // the hot path: no lambda per trade unless it logs
      Correlation.log(
          correlationId,
          () ->
              LOG.debug(
                  "trade {} v{} from {}: {}",
                  trade.tradeId(),
                  trade.version(),
                  source,
                  result.outcome()));
    }
    Meters.tradeProcessed(source, result.outcome().name().toLowerCase());
    if (result.isRejected()) {
      Meters.validationFailure(result.violation().code().name(), source);
      return Audit.tradeEntry(
          trade.tradeId(),
          Audit.Action.VALIDATION_FAILED,
          false,
          TradeJson.toJson(result.violation()).put("trade", TradeJson.toJson(trade)),
          correlationId,
          source);
    }
    Audit.Action action =
        result.outcome() == UpsertResult.Outcome.CREATED
            ? Audit.Action.CREATE
            : Audit.Action.UPDATE;
    return Audit.tradeEntry(
        trade.tradeId(),
        action,
        true,
        new JsonObject()
            .put("outcome", result.outcome().name())
            .put("trade", TradeJson.toJson(trade)),
        correlationId,
        source);
  }

  private void delete(Message<String> message) {
    String correlationId = correlationId(message);
    store
        .delete(message.body())
        .onSuccess(
            deleted ->
                deleted.ifPresentOrElse(
                    trade -> {
                      message.reply(trade);
                      Audit.trade(
                          vertx,
                          trade.tradeId(),
                          Audit.Action.DELETE,
                          true,
                          new JsonObject().put("trade", TradeJson.toJson(trade)),
                          correlationId,
                          "rest");
                    },
                    () -> message.reply(null)))
        .onFailure(e -> Answering.fail(message, "delete of " + message.body(), e, LOG));
  }

  /** Body: {trigger: "timer"|"manual", min_interval_ms}. Reply: {expired, cutoff, ran}. */
  private void expire(Message<JsonObject> message) {
    String correlationId = correlationId(message);
    String trigger = message.body().getString("trigger", "manual");
    double minSeconds = message.body().getLong("min_interval_ms", 0L) * TICK_SLACK / 1000.0;
    var today = rules.today();
    store
        .expireMatured(today, minSeconds)
        .onSuccess(
            claimed -> {
              JsonObject reply =
                  new JsonObject()
                      .put("cutoff", today.toString())
                      .put("ran", claimed.isPresent())
                      .put("expired", claimed.orElse(0L));
              claimed.ifPresent(
                  count -> {
                    Meters.tradesExpired(count);
                    Correlation.log(
                        correlationId,
                        () ->
                            LOG.info(
                                "expiry ({}) flagged {} trades maturing before {}",
                                trigger,
                                count,
                                today));
                    Audit.event(
                        vertx,
                        "TRADES_EXPIRED",
                        "info",
                        reply.copy().put("trigger", trigger).put("correlation_id", correlationId));
                  });
              message.reply(reply);
            })
        .onFailure(e -> Answering.fail(message, "expiry", e, LOG));
  }

  /** Reply: the drift the recount found and set right (see {@link TradeStore#repairCounters()}). */
  private void repairCounters(Message<JsonObject> message) {
    String correlationId = correlationId(message);
    store
        .repairCounters()
        .onSuccess(
            report -> {
              Correlation.log(
                  correlationId,
                  () ->
                      LOG.info(
                          "trade counters repaired: {} drifted", report.getInteger("drifted")));
              message.reply(report);
            })
        .onFailure(e -> Answering.fail(message, "counter repair", e, LOG));
  }

  private static String correlationId(Message<?> message) {
    return message.headers().get(Headers.CORRELATION_ID);
  }
}
