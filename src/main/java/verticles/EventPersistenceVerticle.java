package verticles;

import domain.RawEventType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.EventStore;
import store.PgPools;
import store.StoreFailures;

/**
 * {@code events.persist}: writes a raw event, its processed_events row and its completion event's outbox
 * row in one transaction. A duplicate event id is a success with no second effect.
 */
public final class EventPersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventPersistenceVerticle.class);

  private Pool pool;
  private EventStore store;

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new EventStore(pool);
    return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_PERSIST, this::persist).completion();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void persist(Message<JsonObject> message) {
    JsonObject body = message.body();
    String eventId = body.getString("event_id");
    String correlationId = body.getString("correlation_id");
    JsonObject payload = body.getJsonObject("payload");
    RawEventType type = RawEventType.ofTopic(body.getString("topic")).orElseThrow();
    store.persist(type.parse(payload.getMap()), eventId, correlationId, payload)
        .onSuccess(persisted -> {
          LOG.info("[corr={}] {} event {} {}", correlationId, type.topic(), eventId,
              persisted ? "persisted" : "already processed");
          message.reply(new JsonObject().put("status", persisted ? "persisted" : "duplicate"));
          if (persisted) {
            vertx.eventBus().publish(Addresses.OUTBOX_WAKE, null);
          }
        })
        .onFailure(e -> StoreFailures.reply(message, type.topic() + " event " + eventId, correlationId, e, LOG));
  }
}
