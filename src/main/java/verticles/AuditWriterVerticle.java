package verticles;

import audit.Audit;
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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import metrics.MetricsRegistry;
import mongo.AuditBson;
import mongo.MongoClients;
import mongo.Publishers;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.AuditSettings;

/**
 * Writes audit documents to MongoDB in batches (by size or time). The buffer is bounded: when MongoDB
 * is slow or down, documents wait and are retried; past the bound new ones are dropped, counted in the
 * {@code audit_dropped} metric and logged. Whatever is buffered is flushed on stop. Each document gets its
 * {@code _id} here, so a batch retried after a write whose answer was lost finds its stored documents as
 * duplicates instead of storing them twice: every document is written once, or counted as dropped.
 *
 * <p>It writes through the MongoDB driver's reactive client with documents it encodes to BSON itself
 * ({@link AuditBson}): through the Vert.x client's JSON codec, encoding was the largest cost of a trade
 * write at peak load. The audit queries read the same documents through the Vert.x client.
 */
public final class AuditWriterVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriterVerticle.class);

  /** A document encoded once, on arrival: a retried batch is not encoded again. */
  private record Pending(String collection, RawBsonDocument document) {}

  private static final int DUPLICATE_KEY = 11000;
  /** Unordered: one duplicate must not stop the rest of a retried batch. */
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private MongoClient client;
  private MongoDatabase mongo;
  private MessageConsumer<Object> appends;
  private Counter dropped;
  /** The count for the log lines: a counter of the no-op registry (metrics off) always reads 0. */
  private long droppedTotal;
  private AuditSettings settings;
  private Future<Void> inFlight = Future.succeededFuture();
  /** Documents of the batch being written: held too, so they count against the bound. */
  private int writing;

  @Override
  public Future<?> start() {
    settings = AuditSettings.from(config());
    client = MongoClients.driver(config());
    mongo = client.getDatabase(MongoClients.database(config()));
    dropped = Counter.builder("audit_dropped").description("audit documents dropped because the buffer was full")
        .register(MetricsRegistry.get());
    Gauge.builder("audit_buffered", this, writer -> writer.buffer.size() + writer.writing)
        .description("audit documents held for MongoDB, the batch being written included")
        .register(MetricsRegistry.get());
    vertx.setPeriodic(settings.flushIntervalMs(), id -> flush());
    vertx.setPeriodic(settings.retentionCheckMs(), id -> deleteExpired());
    createIndexes().onFailure(e -> LOG.warn("Audit indexes not created yet (MongoDB unreachable?): {}", e.getMessage()));
    appends = vertx.eventBus().consumer(Addresses.AUDIT_APPEND, this::append);
    return appends.completion();
  }

  @Override
  public Future<?> stop() {
    // Everything sent before this point is buffered; stop taking more, then write it all.
    int buffered = buffer.size();
    return appends.unregister()
        .compose(v -> flushAll())
        .onSuccess(v -> LOG.info("Audit buffer flushed on stop: {} documents", buffered))
        .recover(e -> {
          LOG.error("{} audit documents could not be written before stop: {}", buffer.size(), e.getMessage());
          return Future.succeededFuture();
        })
        // the driver's close waits for its connections and threads: not on the event loop
        .eventually(() -> vertx.executeBlocking(() -> {
          client.close();
          return null;
        }, false));
  }

  /** Body: one document (its collection in a header), or an {@link AuditBatch}. */
  private void append(Message<Object> message) {
    if (message.body() instanceof AuditBatch batch) {
      batch.documents().forEach(document -> append(batch.collection(), document));
    } else {
      append(message.headers().get(Headers.AUDIT_COLLECTION), (JsonObject) message.body());
    }
    if (buffer.size() >= settings.batchSize()) {
      flush();
    }
  }

  private void append(String collection, JsonObject document) {
    if (buffer.size() + writing >= settings.bufferMax()) {
      dropped.increment();
      if (++droppedTotal % 1000 == 1) {
        LOG.warn("Audit buffer full ({} documents): dropping audit entries, {} dropped so far", settings.bufferMax(),
            droppedTotal);
      }
      return;
    }
    if (!document.containsKey("_id")) {
      document.put("_id", new JsonObject().put("$oid", new ObjectId().toHexString()));
    }
    try {
      buffer.add(new Pending(collection, AuditBson.encode(document)));
    } catch (RuntimeException unstorable) { // a field name MongoDB cannot hold: this entry only, not its batch
      dropped.increment();
      LOG.error("Audit entry for {} dropped, MongoDB cannot store it: {}", collection, unstorable.getMessage());
    }
  }

  /**
   * Writes one batch, one at a time so documents keep their arrival order; on failure the batch goes
   * back to the head of the buffer for the next attempt. Completes when that batch is done.
   */
  private Future<Void> flush() {
    if (!inFlight.isComplete() || buffer.isEmpty()) {
      return inFlight;
    }
    List<Pending> batch = new ArrayList<>();
    while (batch.size() < settings.batchSize() && !buffer.isEmpty()) {
      batch.add(buffer.poll());
    }
    writing = batch.size();
    inFlight = write(batch).onComplete(done -> writing = 0).onFailure(e -> {
      for (int i = batch.size() - 1; i >= 0; i--) {
        buffer.addFirst(batch.get(i));
      }
      LOG.warn("Audit write of {} documents failed, will retry: {}", batch.size(), e.getMessage());
    });
    return inFlight;
  }

  /** Flushes batch after batch until the buffer is empty; stops at the first failure. */
  private Future<Void> flushAll() {
    return inFlight.transform(previous -> buffer.isEmpty() ? Future.succeededFuture() : flush().compose(v -> flushAll()));
  }

  private Future<Void> write(List<Pending> batch) {
    Map<String, List<InsertOneModel<RawBsonDocument>>> byCollection = batch.stream().collect(Collectors.groupingBy(
        Pending::collection, Collectors.mapping(p -> new InsertOneModel<>(p.document()),
            Collectors.toList())));
    return Future.all(byCollection.entrySet().stream()
        .map(e -> Publishers.last(context, mongo.getCollection(e.getKey(), RawBsonDocument.class)
            .bulkWrite(e.getValue(), UNORDERED)).recover(AuditWriterVerticle::stored))
        .toList()).mapEmpty();
  }

  /** Duplicates of our own ids are documents an earlier attempt stored: written, not failed. */
  private static <T> Future<T> stored(Throwable failure) {
    if (failure instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() == null
        && !bulk.getWriteErrors().isEmpty()
        && bulk.getWriteErrors().stream().allMatch(error -> error.getCode() == DUPLICATE_KEY)) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(failure);
  }

  private Future<Void> createIndexes() {
    return Future.all(List.of(
        Publishers.last(context, mongo.getCollection(Audit.AUDIT_LOGS).createIndex(Indexes.ascending("trade_id"))),
        Publishers.last(context, mongo.getCollection(Audit.AUDIT_LOGS).createIndex(Indexes.descending("timestamp"))),
        Publishers.last(context, mongo.getCollection(Audit.TRADE_EVENTS).createIndex(Indexes.descending("timestamp")))))
        .mapEmpty();
  }

  /** Retention: documents older than AUDIT_RETENTION_DAYS are deleted. */
  private void deleteExpired() {
    Instant cutoff = Instant.now().minus(Duration.ofDays(settings.retentionDays()));
    for (String collection : List.of(Audit.AUDIT_LOGS, Audit.TRADE_EVENTS)) {
      Publishers.last(context, mongo.getCollection(collection).deleteMany(Filters.lt("timestamp", Date.from(cutoff))))
          .onSuccess(r -> LOG.info("Audit retention removed {} documents from {}", r.getDeletedCount(), collection))
          .onFailure(e -> LOG.warn("Audit retention on {} failed: {}", collection, e.getMessage()));
    }
  }
}
