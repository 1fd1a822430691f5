package verticles;

import codec.Outcomes;
import contract.Addresses;
import domain.IngestRecord;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.util.List;
import logging.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.RecordSettings;
import store.PgPools;
import store.RecordStore;
import store.StoreFailures;

/**
 * {@code records.ingest}: inserts the record, updates its aggregate and writes the notification (and
 * alert) outbox rows in one transaction; a duplicate record id changes nothing. Records are
 * group-committed ({@link GroupCommit}). Reply: {@code {status: ingested|duplicate|refused}}.
 */
public final class RecordPersistenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RecordPersistenceVerticle.class);
  static final int MAX_BATCH = 512;

  /** Inserts and aggregate additions run row by row in order within a batch: nothing conflicts. */
  private record Pending(RecordStore.NewRecord record, Promise<JsonObject> outcome, GroupCommit.Unit unit)
      implements GroupCommit.Item {
    /** The records topic's key: one destination's records, and its notifications, keep their order. */
    @Override
    public Object orderingKey() {
      return record.record().destinationId();
    }
  }

  private Pool pool;
  private RecordStore store;
  private BigDecimal alertThreshold;
  private GroupCommit<Pending> writes;

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    store = new RecordStore(pool);
    alertThreshold = RecordSettings.from(config()).alertThreshold();
    writes = new GroupCommit<>("records_ingest_batch_size", MAX_BATCH, this::ingestAndAnswer, StoreFailures::isBadData,
        this::answerFailure);
    return vertx.eventBus().<JsonObject>consumer(Addresses.RECORDS_INGEST, Answering.always(LOG, this::ingest))
        .completion();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }

  private void ingest(Message<JsonObject> message) {
    Answering.answerItems(message, this::queue, LOG);
  }

  private Future<JsonObject> queue(JsonObject body, GroupCommit.Unit unit) {
    try {
      IngestRecord record = IngestRecord.parse(body.getJsonObject("payload").getMap());
      Pending pending = new Pending(new RecordStore.NewRecord(record, body.getString("correlation_id")),
          Promise.promise(), unit);
      writes.add(pending);
      return pending.outcome().future();
    } catch (ViolationException e) {
      return Future.succeededFuture(Outcomes.refused(e.violation()));
    }
  }

  private Future<Void> ingestAndAnswer(List<Pending> batch) {
    return store.ingestAll(batch.stream().map(Pending::record).toList(), alertThreshold)
        .map(ingested -> {
          for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), ingested.get(i));
          }
          if (ingested.contains(true)) {
            vertx.eventBus().publish(Addresses.OUTBOX_WAKE, null);
          }
          return null;
        });
  }

  private static void answer(Pending pending, boolean ingested) {
    RecordStore.NewRecord record = pending.record();
    if (LOG.isDebugEnabled()) {
      Correlation.log(record.correlationId(),
          () -> LOG.debug("record {} {}", record.record().recordId(), ingested ? "ingested" : "duplicate"));
    }
    pending.outcome().complete(Outcomes.status(ingested ? "ingested" : "duplicate"));
  }

  private void answerFailure(Pending pending, Throwable failure) {
    RecordStore.NewRecord record = pending.record();
    String what = "record " + record.record().recordId();
    if (StoreFailures.isBadData(failure)) {
      Correlation.log(record.correlationId(),
          () -> LOG.warn("{} refused by the database: {}", what, failure.getMessage()));
      pending.outcome().complete(Outcomes.refused(StoreFailures.refusal(failure)));
    } else {
      pending.outcome().fail(failure);
    }
  }
}
