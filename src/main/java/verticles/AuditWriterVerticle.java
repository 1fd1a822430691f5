package verticles;

import audit.Audit;
import batching.GroupCommit;
import codec.AuditBatch;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import contract.Addresses;
import contract.Headers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import messaging.Backoff;
import metrics.Meters;
import mongo.AuditBson;
import mongo.MongoClients;
import mongo.Publishers;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.AuditSettings;

/**
 * Writes audit documents to MongoDB in batches (by size or time). The buffer is bounded: when
 * MongoDB is slow or down, documents wait and are retried; past the bound new ones are dropped,
 * counted in the {@code audit_dropped} metric and logged. Whatever is buffered is flushed on stop.
 * Batches are group-committed ({@link GroupCommit}, lingering up to AUDIT_FLUSH_INTERVAL_MS for a
 * full batch). Each document gets its {@code _id} here, so a batch retried after a write whose
 * answer was lost finds its stored documents as duplicates instead of storing them twice: every
 * document is written once, or counted as dropped.
 *
 * <p>It writes through the MongoDB driver's reactive client with documents it encodes to BSON
 * itself ({@link AuditBson}): through the Vert.x client's JSON codec, encoding was the largest cost
 * of a trade write at peak load. The audit queries read the same documents through the Vert.x
 * client.
 */
public final class AuditWriterVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriterVerticle.class);

  /**
   * A document encoded once, on arrival: a retried batch is not encoded again. Documents never
   * conflict.
   */
  private record Pending(String collection, RawBsonDocument document) implements GroupCommit.Item {}

  private static final int DUPLICATE_KEY = 11000;

  /** Unordered: one duplicate must not stop the rest of a retried batch. */
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private GroupCommit<Pending> writes;
  private MongoClient client;
  private MongoDatabase mongo;
  private MessageConsumer<Object> appends;

  /**
   * Sampled on this verticle's thread: the scrape thread never reads the group commit's queue
   * itself.
   */
  private AtomicLong buffered;

  /** The count for the log lines: a counter of the no-op registry (metrics off) always reads 0. */
  private long droppedTotal;

  private AuditSettings settings;
  private boolean stopping;

  @Override
  public Future<?> start() {
    settings = AuditSettings.from(config());
    client = MongoClients.driver(config());
    mongo = client.getDatabase(MongoClients.database(config()));
    buffered =
        Meters.gauge(
            Meters.AUDIT_BUFFERED,
            "audit documents held for MongoDB, the batch being written included");
    writes =
        new GroupCommit<>(
                Meters.AUDIT_WRITE_BATCH_SIZE, settings.batchSize(), this::write, this::lost)
            .linger(vertx, settings.flushIntervalMs());
    vertx.setPeriodic(settings.flushIntervalMs(), id -> sampleBuffered());
    vertx.setPeriodic(settings.retentionCheckMs(), id -> deleteExpired());
    createIndexes()
        .onFailure(
            e ->
                LOG.warn(
                    "Audit indexes not created yet (MongoDB unreachable?): {}", e.getMessage()));
    appends = vertx.eventBus().consumer(Addresses.AUDIT_APPEND, this::append);
    return appends.completion();
  }

  @Override
  public Future<?> stop() {
    // Everything sent before this point is held; stop taking more, then write it all (an outage:
    // one try each).
    int held = writes.held();
    stopping = true;
    return appends
        .unregister()
        .compose(v -> writes.drain())
        .onSuccess(
            v ->
                LOG.info(
                    "Audit buffer flushed on stop: {} documents, {} dropped in all",
                    held,
                    droppedTotal))
        // the driver's close waits for its connections and threads: not on the event loop
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      client.close();
                      return null;
                    },
                    false));
  }

  /** Body: one document (its collection in a header), or an {@link AuditBatch}. */
  private void append(Message<Object> message) {
    if (message.body() instanceof AuditBatch batch) {
      batch.documents().forEach(document -> append(batch.collection(), document));
    } else {
      append(message.headers().get(Headers.AUDIT_COLLECTION), (JsonObject) message.body());
    }
    sampleBuffered();
  }

  private void sampleBuffered() {
    buffered.set(writes.held());
  }

  private void append(String collection, JsonObject document) {
    if (writes.held() >= settings.bufferMax()) {
      dropped("the buffer is full (" + settings.bufferMax() + " documents)");
      return;
    }
    if (!document.containsKey("_id")) {
      document.put("_id", new JsonObject().put("$oid", new ObjectId().toHexString()));
    }
    try {
      writes.add(new Pending(collection, AuditBson.encode(document)));
    } catch (
        RuntimeException
            unstorable) { // a field name MongoDB cannot hold: this entry only, not its batch
      droppedTotal++;
      Meters.auditDropped();
      LOG.error(
          "Audit entry for {} dropped, MongoDB cannot store it: {}",
          collection,
          unstorable.getMessage());
    }
  }

  /**
   * Counted always, logged once per thousand: a full buffer under an outage would flood the log.
   */
  private void dropped(String why) {
    Meters.auditDropped();
    if (++droppedTotal % 1000 == 1) {
      LOG.warn("Audit entries dropped, {}: {} dropped so far", why, droppedTotal);
    }
  }

  /** A document that failed for good: a bug (MongoDB refuses it), or an outage while stopping. */
  private void lost(Pending pending, Throwable failure) {
    dropped("not written to " + pending.collection() + ": " + failure.getMessage());
  }

  /**
   * One batch in arrival order ({@link GroupCommit}), retried while MongoDB is unavailable: new
   * documents wait behind it, up to AUDIT_BUFFER_MAX.
   */
  private Future<Void> write(List<Pending> batch) {
    return Backoff.retry(
        vertx,
        "audit write of " + batch.size() + " documents",
        null,
        () -> insert(batch),
        () -> stopping);
  }

  private Future<Void> insert(List<Pending> batch) {
    Map<String, List<InsertOneModel<RawBsonDocument>>> byCollection =
        batch.stream()
            .collect(
                Collectors.groupingBy(
                    Pending::collection,
                    Collectors.mapping(
                        p -> new InsertOneModel<>(p.document()), Collectors.toList())));
    return Future.all(
            byCollection.entrySet().stream()
                .map(
                    e ->
                        Publishers.last(
                                context,
                                mongo
                                    .getCollection(e.getKey(), RawBsonDocument.class)
                                    .bulkWrite(e.getValue(), UNORDERED))
                            .recover(AuditWriterVerticle::stored))
                .toList())
        .mapEmpty();
  }

  /** Duplicates of our own ids are documents an earlier attempt stored: written, not failed. */
  private static <T> Future<T> stored(Throwable failure) {
    if (failure instanceof MongoBulkWriteException bulk
        && bulk.getWriteConcernError() == null
        && !bulk.getWriteErrors().isEmpty()
        && bulk.getWriteErrors().stream().allMatch(error -> error.getCode() == DUPLICATE_KEY)) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(failure);
  }

  /**
   * The audit trail's reads: by trade, newest first, and the dead-letter count of /statistics
   * (action and source), which would otherwise scan the whole, ever-growing collection.
   */
  private Future<Void> createIndexes() {
    return Future.all(
            List.of(
                createIndex(Audit.AUDIT_LOGS, Indexes.ascending("trade_id")),
                createIndex(Audit.AUDIT_LOGS, Indexes.descending("timestamp")),
                createIndex(Audit.AUDIT_LOGS, Indexes.ascending("action", "source")),
                createIndex(Audit.TRADE_EVENTS, Indexes.descending("timestamp"))))
        .mapEmpty();
  }

  private Future<String> createIndex(String collection, Bson keys) {
    return Publishers.last(context, mongo.getCollection(collection).createIndex(keys));
  }

  /** Retention: documents older than AUDIT_RETENTION_DAYS are deleted. */
  private void deleteExpired() {
    Instant cutoff = Instant.now().minus(Duration.ofDays(settings.retentionDays()));
    for (String collection : List.of(Audit.AUDIT_LOGS, Audit.TRADE_EVENTS)) {
      Publishers.last(
              context,
              mongo
                  .getCollection(collection)
                  .deleteMany(Filters.lt("timestamp", Date.from(cutoff))))
          .onSuccess(
              r ->
                  LOG.info(
                      "Audit retention removed {} documents from {}",
                      r.getDeletedCount(),
                      collection))
          .onFailure(e -> LOG.warn("Audit retention on {} failed: {}", collection, e.getMessage()));
    }
  }
}
