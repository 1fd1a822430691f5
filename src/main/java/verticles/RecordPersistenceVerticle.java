package verticles;

import app.ConfigKeys;
import domain.IngestRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.PgPools;
import store.StoreFailures;
import store.RecordStore;

/**
 * {@code records.ingest}: inserts the record, updates its aggregate and writes the notification (and
 * alert) outbox rows in one transaction; a duplicate record id changes nothing.
 */
public final class RecordPersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RecordPersistenceVerticle.class);

  private Pool pool;
  private RecordStore store;
  private BigDecimal alertThreshold;

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new RecordStore(pool);
    alertThreshold = new BigDecimal(config().getValue(ConfigKeys.RECORDS_ALERT_THRESHOLD, 1000).toString());
    return vertx.eventBus().<JsonObject>consumer(Addresses.RECORDS_INGEST, this::ingest).completion();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void ingest(Message<JsonObject> message) {
    String correlationId = message.body().getString("correlation_id");
    IngestRecord record = IngestRecord.parse(message.body().getJsonObject("payload").getMap());
    store.ingest(record, correlationId, alertThreshold)
        .onSuccess(ingested -> {
          LOG.debug("[corr={}] record {} {}", correlationId, record.recordId(), ingested ? "ingested" : "duplicate");
          message.reply(new JsonObject().put("status", ingested ? "ingested" : "duplicate"));
          if (ingested) {
            vertx.eventBus().publish(Addresses.OUTBOX_WAKE, null);
          }
        })
        .onFailure(e -> StoreFailures.reply(message, "record " + record.recordId(), correlationId, e, LOG));
  }
}
