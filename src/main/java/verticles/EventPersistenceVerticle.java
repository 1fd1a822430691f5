package verticles;

import codec.Outcomes;
import contract.Addresses;
import domain.RawEventType;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import logging.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.EventStore;
import store.PgPools;
import store.StoreFailures;

/**
 * {@code events.persist}: writes a raw event, its processed_events row and its completion event's outbox
 * row in one transaction. A duplicate event id is a success with no second effect. Events are
 * group-committed ({@link GroupCommit}): one transaction carries everything queued while the previous one
 * was in flight. Reply: {@code {status: persisted|duplicate|refused}}, a refusal with its violation.
 */
public final class EventPersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventPersistenceVerticle.class);
  static final int MAX_BATCH = 512;

  /** processed_events and the entity upserts run row by row in order within a batch: nothing conflicts. */
  private record Pending(EventStore.NewEvent event, Promise<JsonObject> outcome, GroupCommit.Unit unit)
      implements GroupCommit.Item {
    @Override
    public Object orderingKey() {
      return event.event().type().table() + "|" + event.event().entityKey();
    }
  }

  private Pool pool;
  private EventStore store;
  private GroupCommit<Pending> writes;

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new EventStore(pool);
    writes = new GroupCommit<>("events_persist_batch_size", MAX_BATCH, this::persistAndAnswer, StoreFailures::isBadData,
        this::answerFailure);
    return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_PERSIST, Answering.always(LOG, this::persist))
        .completion();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void persist(Message<JsonObject> message) {
    Answering.answerItems(message, this::queue, LOG);
  }

  private Future<JsonObject> queue(JsonObject body, GroupCommit.Unit unit) {
    JsonObject payload = body.getJsonObject("payload");
    RawEventType type = RawEventType.ofTopic(body.getString("topic")).orElseThrow();
    try {
      Pending pending = new Pending(new EventStore.NewEvent(type.parse(payload.getMap()), body.getString("event_id"),
          body.getString("correlation_id"), payload), Promise.promise(), unit);
      writes.add(pending);
      return pending.outcome().future();
    } catch (ViolationException e) {
      return Future.succeededFuture(Outcomes.refused(e.violation()));
    }
  }

  private Future<Void> persistAndAnswer(List<Pending> batch) {
    return store.persistAll(batch.stream().map(Pending::event).toList())
        .map(persisted -> {
          for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), persisted.get(i));
          }
          if (persisted.contains(true)) {
            vertx.eventBus().publish(Addresses.OUTBOX_WAKE, null);
          }
          return null;
        });
  }

  private static void answer(Pending pending, boolean persisted) {
    EventStore.NewEvent event = pending.event();
    if (LOG.isDebugEnabled()) {
      Correlation.log(event.correlationId(), () -> LOG.debug("{} event {} {}", event.event().type().topic(),
          event.eventId(), persisted ? "persisted" : "already processed"));
    }
    pending.outcome().complete(Outcomes.status(persisted ? "persisted" : "duplicate"));
  }

  private void answerFailure(Pending pending, Throwable failure) {
    EventStore.NewEvent event = pending.event();
    if (StoreFailures.isBadData(failure)) {
      String what = event.event().type().topic() + " event " + event.eventId();
      Violation refusal = StoreFailures.refusal(failure);
      Correlation.log(event.correlationId(),
          () -> LOG.warn("{} refused by the database: {}", what, failure.getMessage()));
      pending.outcome().complete(Outcomes.refused(refusal));
    } else {
      pending.outcome().fail(failure);
    }
  }
}
