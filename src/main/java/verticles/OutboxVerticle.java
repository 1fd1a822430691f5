package verticles;

import contract.Addresses;
import contract.Headers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import logging.Correlation;
import messaging.KafkaConfigs;
import messaging.Producers;
import metrics.Meters;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.OutboxSettings;
import store.OutboxStore;
import store.OutboxStore.Pending;
import store.PgPools;

/**
 * Drains the outbox to Kafka: claims batches in id order, publishes them with the idempotent
 * producer keyed by aggregate id (headers {@code event_id} and {@code correlation_id}), and marks
 * them published only after Kafka acknowledged every one. Woken by {@code outbox.wake} after each
 * commit; the poll interval is the safety net. While Kafka is down rows accumulate, and publish
 * once it is back.
 *
 * <p>Per-key order: one dispatcher publishes at a time (a PostgreSQL advisory lock held for the
 * batch's transaction), batches go in id order, and the idempotent producer keeps a partition's
 * order across retries. A crash between publish and mark re-publishes the batch: at most
 * duplicates, deduplicated downstream by {@code event_id}.
 */
public final class OutboxVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxVerticle.class);
  public static final String EVENT_ID_HEADER = "event_id";
  private static final long STOP_TIMEOUT_MS = 5_000;

  /** How often the backlog meters are refreshed: one count over the pending rows' partial index. */
  private static final long BACKLOG_SAMPLE_MS = 5_000;

  private Pool pool;
  private OutboxStore outbox;
  private KafkaProducer<String, String> producer;
  private OutboxSettings settings;
  private boolean draining;
  private boolean wokenWhileDraining;
  private long failures;

  @Override
  public Future<?> start() {
    settings = OutboxSettings.from(config());
    pool = PgPools.create(vertx, config());
    outbox = new OutboxStore(pool);
    return Producers.create(vertx, KafkaConfigs.outboxProducer(config()))
        .compose(this::publishWith);
  }

  private Future<Void> publishWith(KafkaProducer<String, String> made) {
    producer = made;
    vertx.setPeriodic(settings.pollIntervalMs(), id -> drain());
    long retentionMs = settings.retentionMs();
    vertx.setPeriodic(Math.max(1_000L, Math.min(retentionMs, 60_000L)), id -> purge(retentionMs));
    AtomicLong backlogRows =
        Meters.gauge(Meters.OUTBOX_BACKLOG, "outbox rows waiting to be published");
    AtomicLong oldestAgeMs = new AtomicLong();
    Meters.gauge(
        Meters.OUTBOX_OLDEST_AGE,
        "seconds the oldest unpublished outbox row has waited",
        () -> oldestAgeMs.get() / 1000.0);
    vertx.setPeriodic(
        BACKLOG_SAMPLE_MS,
        id ->
            outbox
                .backlog()
                .onSuccess(
                    backlog -> {
                      backlogRows.set(backlog.rows());
                      oldestAgeMs.set(Math.round(backlog.oldestAgeSeconds() * 1000));
                    }));
    return vertx
        .eventBus()
        .consumer(Addresses.OUTBOX_WAKE, message -> drain())
        .completion()
        .onSuccess(v -> drain());
  }

  /**
   * Sends still waiting for an absent broker are abandoned: their rows stay pending for the next
   * owner.
   */
  @Override
  public Future<?> stop() {
    return producer.close(STOP_TIMEOUT_MS).eventually(pool::close);
  }

  /** Publishes batch after batch until the outbox is empty or publishing fails. */
  private void drain() {
    if (draining) {
      wokenWhileDraining = true;
      return;
    }
    draining = true;
    wokenWhileDraining = false;
    outbox
        .publishBatch(settings.batchSize(), this::publish)
        .onComplete(
            done -> {
              draining = false;
              if (done.succeeded()) {
                failures = 0;
                if (done.result() == settings.batchSize() || wokenWhileDraining) {
                  drain();
                }
              } else if (failures++ % 20 == 0) {
                LOG.warn(
                    "Outbox publish failed, rows stay pending and are retried: {}",
                    done.cause().getMessage());
              }
            });
  }

  /**
   * @return the rows Kafka refused for good, with the reason; any other failure fails the batch,
   *     and so does waiting longer than OUTBOX_PUBLISH_TIMEOUT_MS: the batch's transaction (its row
   *     locks, and the oldest snapshot that holds back vacuum) stays open only as long as one
   *     publish normally takes
   */
  private Future<Map<Long, String>> publish(List<Pending> batch) {
    Map<Long, String> refused = new HashMap<>();
    // Sent in id order without waiting in between: the producer keeps each partition's order.
    List<Future<?>> sends =
        batch.stream()
            .map(
                row ->
                    send(row)
                        .recover(
                            e -> {
                              if (!isRefusedForGood(e)) {
                                return Future.failedFuture(e);
                              }
                              Correlation.log(
                                  row.correlationId(),
                                  () ->
                                      LOG.error(
                                          "outbox row {} to {} refused by Kafka for good, marked "
                                              + "failed: {}",
                                          row.id(),
                                          row.topic(),
                                          e.toString()));
                              refused.put(row.id(), e.toString());
                              return Future.succeededFuture();
                            }))
            .collect(Collectors.toList());
    return Future.all(sends)
        .timeout(settings.publishTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(done -> refused)
        .recover(e -> abandonUnsent().transform(closed -> Future.failedFuture(e)));
  }

  /**
   * After a failed send, the rest of the batch may still sit in the producer; delivered later, it
   * would land after rows the next attempt sends again. So the producer is closed at once
   * (discarding what it still holds) before the batch's transaction rolls back, and the next
   * attempt uses a new one.
   */
  private Future<Void> abandonUnsent() {
    return producer
        .close(0)
        .recover(e -> Future.succeededFuture())
        .compose(closed -> Producers.create(vertx, KafkaConfigs.outboxProducer(config())))
        .onSuccess(made -> producer = made)
        .mapEmpty();
  }

  /** Errors no retry can cure; anything else (broker down, timeouts) keeps the row pending. */
  private static boolean isRefusedForGood(Throwable e) {
    return e instanceof RecordTooLargeException
        || e instanceof RecordBatchTooLargeException
        || e instanceof InvalidTopicException
        || e instanceof SerializationException;
  }

  private Future<?> send(Pending row) {
    KafkaProducerRecord<String, String> record =
        KafkaProducerRecord.create(row.topic(), row.key(), row.payload().encode())
            .addHeader(EVENT_ID_HEADER, row.eventId().toString());
    if (row.correlationId() != null) {
      record.addHeader(Headers.CORRELATION_ID, row.correlationId());
    }
    return producer.send(record);
  }

  private void purge(long retentionMs) {
    outbox
        .purgePublished(retentionMs / 1000.0)
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.info("Outbox retention removed {} published rows", n);
              }
            })
        .onFailure(e -> LOG.warn("Outbox retention failed: {}", e.getMessage()));
  }
}
