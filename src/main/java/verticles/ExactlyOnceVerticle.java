package verticles;

import batching.GroupCommit;
import bus.Answering;
import codec.Outcomes;
import contract.Addresses;
import domain.IngestRecord;
import domain.RawEventType;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import logging.Correlation;
import metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.RecordSettings;
import store.EventStore;
import store.PgPools;
import store.RecordStore;
import store.StoreFailures;

/**
 * The exactly-once effect: one transaction writes an input, its {@code processed_events} (or
 * record) row and its outbox rows, so a redelivered input has no second effect. Inputs are
 * group-committed ({@link GroupCommit}): one transaction carries everything queued while the
 * previous one was in flight. One {@link Kind} per input:
 *
 * <ul>
 *   <li>{@link #RAW_EVENTS} on {@code events.persist}: a raw event and its completion event;
 *   <li>{@link #RECORDS} on {@code records.ingest}: the record, its aggregate, its notification and
 *       alert.
 * </ul>
 *
 * Reply: {@code {status: persisted|ingested|duplicate|refused}}, a refusal with its violation; a
 * run of items ({@code {items}}) is answered {@code {outcomes}} in order.
 *
 * @param <T> an input as its store takes it
 */
public final class ExactlyOnceVerticle<T> extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceVerticle.class);
  static final int MAX_BATCH = 512;

  /**
   * Writes a batch in one transaction; each input's answer is whether it was new (false: a
   * duplicate).
   */
  public interface Store<T> {
    Future<List<Boolean>> writeAll(List<T> inputs);
  }

  /**
   * One kind of input.
   *
   * @param applied the status of a new input
   * @param parse the bus item to the store's input; throws {@link ViolationException} for a refusal
   * @param orderingKey inputs of one key apply in their order within a run
   * @param describe the input, for the logs
   */
  public record Kind<T>(
      String address,
      String batchMeter,
      String applied,
      Function<JsonObject, T> parse,
      Function<T, Object> orderingKey,
      Function<T, String> describe,
      Function<T, String> correlationId,
      StoreFactory<T> store) {}

  /** The store of a kind, made at start from the pool and the config. */
  public interface StoreFactory<T> {
    Store<T> create(Pool pool, JsonObject config);
  }

  /** Seed 000's raw events; one entity's events keep their order. */
  public static final Kind<EventStore.NewEvent> RAW_EVENTS =
      new Kind<>(
          Addresses.EVENTS_PERSIST,
          Meters.EVENTS_PERSIST_BATCH_SIZE,
          "persisted",
          ExactlyOnceVerticle::event,
          event -> event.event().type().table() + "|" + event.event().entityKey(),
          event -> event.event().type().topic() + " event " + event.eventId(),
          EventStore.NewEvent::correlationId,
          (pool, config) -> new EventStore(pool)::persistAll);

  /** Seed 002's records; one destination's records, and its notifications, keep their order. */
  public static final Kind<RecordStore.NewRecord> RECORDS =
      new Kind<>(
          Addresses.RECORDS_INGEST,
          Meters.RECORDS_INGEST_BATCH_SIZE,
          "ingested",
          item ->
              new RecordStore.NewRecord(
                  IngestRecord.parse(item.getJsonObject("payload").getMap()),
                  item.getString("correlation_id")),
          record -> record.record().destinationId(),
          record -> "record " + record.record().recordId(),
          RecordStore.NewRecord::correlationId,
          (pool, config) -> {
            RecordStore store = new RecordStore(pool);
            BigDecimal alertThreshold = RecordSettings.from(config).alertThreshold();
            return records -> store.ingestAll(records, alertThreshold);
          });

  private static EventStore.NewEvent event(JsonObject item) {
    JsonObject payload = item.getJsonObject("payload");
    RawEventType type = RawEventType.ofTopic(item.getString("topic")).orElseThrow();
    return new EventStore.NewEvent(
        type.parse(payload.getMap()),
        item.getString("event_id"),
        item.getString("correlation_id"),
        payload);
  }

  /**
   * Inserts run row by row in order within a batch: nothing conflicts, only the ordering key
   * matters.
   */
  private record Pending<T>(
      T input, Object orderingKey, Promise<JsonObject> outcome, GroupCommit.Unit unit)
      implements GroupCommit.Item {}

  private final Kind<T> kind;
  private Pool pool;
  private Store<T> store;
  private GroupCommit<Pending<T>> writes;

  public ExactlyOnceVerticle(Kind<T> kind) {
    this.kind = kind;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = kind.store().create(pool, config());
    writes =
        new GroupCommit<>(kind.batchMeter(), MAX_BATCH, this::writeAndAnswer, this::answerFailure);
    return vertx
        .eventBus()
        .<JsonObject>consumer(
            kind.address(),
            Answering.always(LOG, message -> Answering.answerItems(message, this::queue, LOG)))
        .completion();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private Future<JsonObject> queue(JsonObject item, GroupCommit.Unit unit) {
    try {
      T input = kind.parse().apply(item);
      Pending<T> pending =
          new Pending<>(input, kind.orderingKey().apply(input), Promise.promise(), unit);
      writes.add(pending);
      return pending.outcome().future();
    } catch (ViolationException e) {
      return Future.succeededFuture(Outcomes.refused(e.violation()));
    }
  }

  private Future<Void> writeAndAnswer(List<Pending<T>> batch) {
    return store
        .writeAll(batch.stream().map(Pending::input).toList())
        .map(
            applied -> {
              for (int i = 0; i < batch.size(); i++) {
                answer(batch.get(i), applied.get(i));
              }
              if (applied.contains(true)) {
                vertx.eventBus().publish(Addresses.OUTBOX_WAKE, null);
              }
              return null;
            });
  }

  private void answer(Pending<T> pending, boolean applied) {
    if (LOG.isDebugEnabled()) {
      Correlation.log(
          kind.correlationId().apply(pending.input()),
          () ->
              LOG.debug(
                  "{} {}",
                  kind.describe().apply(pending.input()),
                  applied ? kind.applied() : "duplicate"));
    }
    pending.outcome().complete(Outcomes.status(applied ? kind.applied() : "duplicate"));
  }

  /**
   * Data the database refuses is this input's outcome; anything else fails it, and its sender
   * decides.
   */
  private void answerFailure(Pending<T> pending, Throwable failure) {
    if (StoreFailures.isBadData(failure)) {
      Correlation.log(
          kind.correlationId().apply(pending.input()),
          () ->
              LOG.warn(
                  "{} refused by the database: {}",
                  kind.describe().apply(pending.input()),
                  failure.getMessage()));
      pending.outcome().complete(Outcomes.refused(StoreFailures.refusal(failure)));
    } else {
      pending.outcome().fail(failure);
    }
  }
}
