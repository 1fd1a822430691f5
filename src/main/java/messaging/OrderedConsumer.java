package messaging;

import failures.Failures;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import metrics.Meters;
import metrics.MetricsRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.ConsumerSettings;

/**
 * A Kafka consumer with the guarantees every ingest verticle needs:
 *
 * <ul>
 *   <li>manual commits only: per partition, the highest contiguous completed offset, never one in
 *       flight;
 *   <li>order: in batch mode ({@link #startBatched}) one run of a partition's records is in flight
 *       at a time; in record mode ({@link #start}) each record goes to the handler at once, in
 *       partition order, and the handler keeps order itself (for example by buffering records in
 *       arrival order);
 *   <li>back-pressure: a partition with too many records in flight is paused while polling goes on,
 *       so the group does not rebalance; it resumes once it drained to half;
 *   <li>rebalance: completed work of revoked partitions is committed, their queued records are
 *       dropped, and redelivery is absorbed by the idempotent handlers.
 * </ul>
 *
 * The handler's future completes once the record's effect is durable (stored or dead-lettered). A
 * handler that throws is a bug or unforeseen input: the record goes to the crash handler (which
 * dead-letters it) so the partition moves on, instead of stalling on it forever.
 */
public final class OrderedConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(OrderedConsumer.class);

  /**
   * The most records one run hands on: a persistence verticle writes up to this many in one
   * transaction.
   */
  public static final int MAX_RUN = 500;

  /**
   * Handles one record; {@code revoked} turns true once its partition left this consumer (stop
   * retrying then).
   */
  public interface RecordHandler {
    Future<Void> handle(KafkaConsumerRecord<String, String> record, BooleanSupplier revoked);
  }

  /**
   * Handles a run of one partition's records in offset order, as one unit: its future completes
   * once every record's effect is durable. One run per partition is in flight at a time, so per-key
   * order holds by partition order; everything that arrived meanwhile makes the next run.
   */
  public interface BatchHandler {
    Future<Void> handle(List<KafkaConsumerRecord<String, String>> records, BooleanSupplier revoked);
  }

  /** A partition's records waiting for the run in flight (batch mode). */
  private static final class Run {
    final ArrayDeque<KafkaConsumerRecord<String, String>> waiting = new ArrayDeque<>();
    boolean inFlight;
    boolean scheduled;
  }

  /** Tuning knobs, with defaults that suit these 2-core machines. */
  public record Settings(int maxInFlightPerPartition, long commitIntervalMs) {
    public static Settings defaults() {
      return new Settings(256, 200);
    }

    public static Settings of(ConsumerSettings configured) {
      return new Settings(configured.maxInFlightPerPartition(), configured.commitIntervalMs());
    }
  }

  private final Vertx vertx;
  private final KafkaConsumer<String, String> consumer;
  private final RecordHandler handler; // null in batch mode
  private final BatchHandler batchHandler; // null in record mode
  private final Map<TopicPartition, Run> runs = new HashMap<>();
  private final BiFunction<KafkaConsumerRecord<String, String>, Throwable, Future<Void>> onCrash;
  private final Settings settings;
  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private long commitTimer;

  /** Handler calls whose futures have not completed: what a graceful stop waits for. */
  private int handling;

  private boolean stopping;
  private final AtomicLong inFlightGauge;
  private final AtomicLong pausedGauge;
  private final KafkaClientMetrics clientMetrics;
  private final String groupId;
  private KafkaErrors errors;

  private OrderedConsumer(
      Vertx vertx,
      KafkaConsumer<String, String> consumer,
      String groupId,
      RecordHandler handler,
      BatchHandler batchHandler,
      BiFunction<KafkaConsumerRecord<String, String>, Throwable, Future<Void>> onCrash,
      Settings settings) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.groupId = groupId;
    this.handler = handler;
    this.batchHandler = batchHandler;
    this.onCrash = onCrash;
    this.settings = settings;
    this.inFlightGauge =
        Meters.gauge(Meters.KAFKA_IN_FLIGHT, "records taken and not yet durable", "group", groupId);
    this.pausedGauge =
        Meters.gauge(Meters.KAFKA_PAUSED, "partitions paused for back-pressure", "group", groupId);
    // Kafka's own client metrics, consumer lag (records-lag-max) among them
    this.clientMetrics = new KafkaClientMetrics(consumer.unwrap());
    clientMetrics.bindTo(MetricsRegistry.get());
  }

  /**
   * Record mode: each record goes to the handler as it arrives, in partition order; the handler
   * keeps order itself (the price consumer buffers ticks in arrival order).
   *
   * @param config kafka consumer config; must hold bootstrap.servers and group.id
   */
  public static Future<OrderedConsumer> start(
      Vertx vertx,
      Map<String, String> config,
      Set<String> topics,
      RecordHandler handler,
      BiFunction<KafkaConsumerRecord<String, String>, Throwable, Future<Void>> onCrash,
      Settings settings) {
    return createAndStart(vertx, config, topics, handler, null, onCrash, settings);
  }

  /**
   * Batch mode: hands each partition's records on in runs (everything polled while the previous run
   * was in flight, up to {@link #MAX_RUN}), so a consumer sends one event-bus request per run
   * instead of one per record. If the handler throws, every record of the run goes to {@code
   * onCrash}.
   */
  public static Future<OrderedConsumer> startBatched(
      Vertx vertx,
      Map<String, String> config,
      Set<String> topics,
      BatchHandler handler,
      BiFunction<KafkaConsumerRecord<String, String>, Throwable, Future<Void>> onCrash,
      Settings settings) {
    return createAndStart(vertx, config, topics, null, handler, onCrash, settings);
  }

  private static Future<OrderedConsumer> createAndStart(
      Vertx vertx,
      Map<String, String> config,
      Set<String> topics,
      RecordHandler recordHandler,
      BatchHandler batchHandler,
      BiFunction<KafkaConsumerRecord<String, String>, Throwable, Future<Void>> onCrash,
      Settings settings) {
    return create(vertx, config)
        .compose(
            consumer ->
                start(
                    vertx,
                    consumer,
                    config.get("group.id"),
                    topics,
                    recordHandler,
                    batchHandler,
                    onCrash,
                    settings));
  }

  /**
   * Takes a consumer already built with manual commits (the record or the batch handler null) and
   * subscribes it: the one way both modes start, and how a test drives this class with Kafka's
   * MockConsumer. Call it on the context the consumer was created on.
   */
  static Future<OrderedConsumer> start(
      Vertx vertx,
      KafkaConsumer<String, String> consumer,
      String groupId,
      Set<String> topics,
      RecordHandler handler,
      BatchHandler batchHandler,
      BiFunction<KafkaConsumerRecord<String, String>, Throwable, Future<Void>> onCrash,
      Settings settings) {
    return new OrderedConsumer(vertx, consumer, groupId, handler, batchHandler, onCrash, settings)
        .subscribe(topics);
  }

  /**
   * The Kafka consumer, with manual commits, made on a worker: building one (config, deserializers,
   * metrics) is blocking work. It still delivers on the caller's context, which a blocking task
   * runs on.
   */
  private static Future<KafkaConsumer<String, String>> create(
      Vertx vertx, Map<String, String> config) {
    Map<String, String> manual = new HashMap<>(config);
    manual.put("enable.auto.commit", "false");
    manual.putIfAbsent("auto.offset.reset", "earliest");
    manual.putIfAbsent(
        "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    manual.putIfAbsent(
        "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    // A short poll timeout: a paused partition's resume only takes effect at the next poll.
    return vertx.executeBlocking(
        () ->
            KafkaConsumer.<String, String>create(vertx, manual).pollTimeout(Duration.ofMillis(50)));
  }

  private Future<OrderedConsumer> subscribe(Set<String> topics) {
    consumer.partitionsAssignedHandler(
        partitions -> partitions.forEach(tp -> trackers.putIfAbsent(tp, new OffsetTracker())));
    consumer.partitionsRevokedHandler(this::revoked);
    errors = new KafkaErrors(vertx, groupId, topics);
    consumer.exceptionHandler(
        e -> {
          LOG.warn("Kafka consumer error on {}: {}", topics, e.getMessage());
          errors.failed("consumer_error", e);
        });
    consumer.handler(this::received);
    commitTimer =
        vertx.setPeriodic(
            settings.commitIntervalMs(),
            id -> {
              commit(trackers.keySet());
              inFlightGauge.set(inFlight());
              pausedGauge.set(paused.size());
            });
    return consumer.subscribe(topics).map(this);
  }

  /**
   * A graceful stop: pauses every partition and takes no new record, lets the records already
   * handed on finish (within {@code drainMs}), commits what is complete, then leaves the group.
   * Whatever did not finish in time is redelivered to the next owner.
   */
  public Future<Void> stop(long drainMs) {
    stopping = true;
    vertx.cancelTimer(commitTimer);
    int inFlightAtStop = inFlight();
    long started = System.currentTimeMillis();
    return consumer
        .pause(trackers.keySet())
        .transform(paused -> drained(System.currentTimeMillis() + drainMs))
        .transform(drained -> commit(trackers.keySet()))
        .onComplete(
            committed ->
                LOG.info(
                    "Consumer paused, {} records in flight finished in {} ms, offsets committed{}",
                    inFlightAtStop - inFlight(),
                    System.currentTimeMillis() - started,
                    inFlight() == 0 ? "" : "; " + inFlight() + " left for redelivery"))
        .transform(
            committed -> {
              clientMetrics.close();
              return consumer.close();
            });
  }

  /** Completes once no handler call is pending and no run is about to start, or at the deadline. */
  private Future<Void> drained(long deadline) {
    boolean idle = handling == 0 && runs.values().stream().noneMatch(run -> run.scheduled);
    if (idle || System.currentTimeMillis() >= deadline) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(10, id -> drained(deadline).onComplete(later));
    return later.future();
  }

  /** Offsets in flight across all partitions (for tests and metrics). */
  public int inFlight() {
    return trackers.values().stream().mapToInt(OffsetTracker::inFlight).sum();
  }

  private void received(KafkaConsumerRecord<String, String> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    OffsetTracker tracker = trackers.get(tp);
    if (tracker == null || stopping) {
      return; // revoked, or stopping: never started, so the next owner reads it from the committed
      // offset
    }
    tracker.started(record.offset());
    if (tracker.inFlight() >= settings.maxInFlightPerPartition() && paused.add(tp)) {
      consumer.pause(Set.of(tp));
    }
    BooleanSupplier revoked = () -> trackers.get(tp) != tracker;
    if (batchHandler != null) {
      queueForRun(tp, tracker, record, revoked);
      return;
    }
    safely(record, revoked)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                completed(tp, tracker, record.offset());
              } else {
                LOG.warn(
                    "Record {}-{}@{} left uncommitted: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    done.cause().getMessage());
              }
            });
  }

  /**
   * The run starts on the next turn of the event loop, so the records the same poll delivers after
   * this one join it.
   */
  private void queueForRun(
      TopicPartition tp,
      OffsetTracker tracker,
      KafkaConsumerRecord<String, String> record,
      BooleanSupplier revoked) {
    Run run = runs.computeIfAbsent(tp, p -> new Run());
    run.waiting.add(record);
    if (!run.inFlight && !run.scheduled) {
      run.scheduled = true;
      vertx.runOnContext(
          v -> {
            run.scheduled = false;
            startRun(tp, tracker, run, revoked);
          });
    }
  }

  private void startRun(
      TopicPartition tp, OffsetTracker tracker, Run run, BooleanSupplier revoked) {
    if (run.inFlight || run.waiting.isEmpty() || revoked.getAsBoolean()) {
      return;
    }
    List<KafkaConsumerRecord<String, String>> records = new ArrayList<>();
    while (!run.waiting.isEmpty() && records.size() < MAX_RUN) {
      records.add(run.waiting.poll());
    }
    run.inFlight = true;
    safely(records, revoked)
        .onComplete(
            done -> {
              run.inFlight = false;
              if (done.succeeded()) {
                records.forEach(record -> completed(tp, tracker, record.offset()));
                startRun(tp, tracker, run, revoked);
              } else {
                // Only when stopping or revoked: the rest is redelivered to the next owner, in
                // order.
                LOG.warn(
                    "Records {}-{}@{}..{} left uncommitted: {}",
                    tp.getTopic(),
                    tp.getPartition(),
                    records.get(0).offset(),
                    records.get(records.size() - 1).offset(),
                    done.cause().getMessage());
              }
            });
  }

  private Future<Void> safely(
      List<KafkaConsumerRecord<String, String>> records, BooleanSupplier revoked) {
    return counted(handleRun(records, revoked).recover(e -> settled(records, revoked, e)));
  }

  /**
   * A handler's future failed. While stopping or revoked, or on an outage, the records stay
   * uncommitted for redelivery. Otherwise the failure is final (a bug its retries did not get past,
   * or a refusal): the records are dead-lettered, so no record blocks its partition forever.
   */
  private Future<Void> settled(
      List<KafkaConsumerRecord<String, String>> records,
      BooleanSupplier revoked,
      Throwable failure) {
    if (stopping || revoked.getAsBoolean() || Failures.classify(failure) == Failures.Kind.OUTAGE) {
      return Future.failedFuture(failure);
    }
    KafkaConsumerRecord<String, String> first = records.get(0);
    LOG.error(
        "Handler failed for good on {} records from {}-{}@{}, dead-lettering them",
        records.size(),
        first.topic(),
        first.partition(),
        first.offset(),
        failure);
    Meters.bug("kafka");
    return Future.all(records.stream().map(record -> onCrash.apply(record, failure)).toList())
        .mapEmpty();
  }

  private Future<Void> handleRun(
      List<KafkaConsumerRecord<String, String>> records, BooleanSupplier revoked) {
    try {
      return batchHandler.handle(records, revoked);
    } catch (RuntimeException e) {
      return Future.failedFuture(e); // a throw is a bug: settled dead-letters the run
    }
  }

  private Future<Void> safely(KafkaConsumerRecord<String, String> record, BooleanSupplier revoked) {
    return counted(
        handleRecord(record, revoked).recover(e -> settled(List.of(record), revoked, e)));
  }

  private Future<Void> counted(Future<Void> handled) {
    handling++;
    return handled.andThen(done -> handling--);
  }

  private Future<Void> handleRecord(
      KafkaConsumerRecord<String, String> record, BooleanSupplier revoked) {
    try {
      return handler.handle(record, revoked);
    } catch (RuntimeException e) {
      return Future.failedFuture(e); // a throw is a bug: settled dead-letters the record
    }
  }

  private void completed(TopicPartition tp, OffsetTracker tracker, long offset) {
    tracker.completed(offset);
    if (tracker.inFlight() <= settings.maxInFlightPerPartition() / 2 && paused.remove(tp)) {
      consumer.resume(Set.of(tp));
    }
  }

  private void revoked(Set<TopicPartition> partitions) {
    commit(partitions);
    partitions.forEach(
        tp -> {
          trackers.remove(tp);
          paused.remove(tp);
          runs.remove(tp);
        });
  }

  private Future<Void> commit(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetTracker tracker = trackers.get(tp);
      if (tracker != null) {
        tracker.pendingCommit().ifPresent(next -> offsets.put(tp, new OffsetAndMetadata(next, "")));
      }
    }
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return consumer
        .commit(offsets)
        .onSuccess(
            done ->
                offsets.forEach(
                    (tp, om) -> {
                      OffsetTracker tracker = trackers.get(tp);
                      if (tracker != null) {
                        tracker.committedUpTo(om.getOffset());
                      }
                    }))
        .onFailure(
            e -> {
              LOG.warn("Offset commit failed, will retry: {}", e.getMessage());
              errors.failed("commit_failed", e);
            })
        .mapEmpty();
  }
}
