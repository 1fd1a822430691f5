package messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Await;

/**
 * {@link OrderedConsumer} against Kafka's {@link MockConsumer}, no broker: the order of a
 * partition's runs, which offsets are committed, and what a failed handler does to its partition.
 * Everything the consumer does runs on one Vert.x context; the test completes the handlers' futures
 * there too.
 */
@Tag("unit")
class OrderedConsumerTest {
  private static final String TOPIC = "ordered";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  /** A short commit interval, so that a commit follows each change within a few polls. */
  private static final OrderedConsumer.Settings SETTINGS = new OrderedConsumer.Settings(256, 20);

  private static final Duration WITHIN = Duration.ofSeconds(10);

  /**
   * One run handed to the batch handler (or one record in record mode), in the order they started.
   */
  private record Run(int partition, List<Long> offsets, Promise<Void> done) {}

  /** A record the consumer gave up on, and why. */
  private record DeadLetter(int partition, long offset, Throwable cause) {}

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final Broker broker = new Broker();
  private final List<Run> runs = new CopyOnWriteArrayList<>();
  private final Queue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();
  private final Map<Integer, AtomicInteger> runsInFlight = new ConcurrentHashMap<>();
  private final AtomicInteger mostRunsInFlightOfOnePartition = new AtomicInteger();
  private OrderedConsumer consumer;
  private boolean stopped;

  @AfterEach
  void close() {
    if (consumer != null && !stopped) {
      Await.result(onContext(() -> consumer.stop(0)));
    }
    Await.result(vertx.close());
  }

  @Test
  void batchModeKeepsOneRunInFlightPerPartitionInOffsetOrder() {
    startBatched(run -> run.partition() == 0 ? run.done().future() : Future.succeededFuture());
    send(P0, 0, 1);
    send(P1, 0, 1);
    Await.until(
        "partition 1 done while partition 0 waits",
        WITHIN,
        () -> committed(P1) == 2 && runsOf(0).size() == 1);
    send(P0, 2, 3);
    Await.until("2 and 3 taken", WITHIN, () -> inFlight() == 4);
    onContextRoundTrip();
    assertEquals(List.of(List.of(0L, 1L)), runsOf(0), "2 and 3 wait for the run in flight");
    assertEquals(-1, committed(P0), "nothing of partition 0 is complete");

    finish(p0Run(0));
    Await.until("the next run", WITHIN, () -> runsOf(0).size() == 2);
    assertEquals(List.of(List.of(0L, 1L), List.of(2L, 3L)), runsOf(0));
    Await.until("the first run committed", WITHIN, () -> committed(P0) == 2);
    finish(p0Run(1));
    Await.until("the second run committed", WITHIN, () -> committed(P0) == 4);
    assertEquals(1, mostRunsInFlightOfOnePartition.get());
  }

  @Test
  void theCommitStopsBelowTheFirstRecordStillInFlight() {
    startRecords(run -> run.partition() == 0 ? run.done().future() : Future.succeededFuture());
    send(P0, 0, 1, 2, 3);
    Await.until("four records handed on", WITHIN, () -> runsOf(0).size() == 4);
    Await.result(
        onContext(
            () -> {
              List.of(0, 2, 3).forEach(i -> p0Run(i).done().complete());
              return Future.succeededFuture();
            }));
    send(
        P1,
        0); // committed in a commit after 0, 2 and 3 completed: the same commit covers partition 0
    Await.until("partition 1 committed", WITHIN, () -> committed(P1) == 1);
    assertEquals(1, committed(P0), "1 is in flight: 2 and 3 wait for it");

    finish(p0Run(1));
    Await.until("everything committed", WITHIN, () -> committed(P0) == 4);
    assertTrue(deadLetters.isEmpty(), deadLetters::toString);
  }

  /** The proof that a record hitting a bug does not block its partition forever. */
  @ParameterizedTest(name = "handler throws: {0}")
  @ValueSource(booleans = {false, true})
  void aBugDeadLettersTheRunAndThePartitionCommitsPastIt(boolean throwsInsteadOfFailing) {
    IllegalStateException bug = new IllegalStateException("a bug in the handler");
    startBatched(
        run -> {
          if (!run.offsets().contains(0L)) {
            return Future.succeededFuture();
          }
          if (throwsInsteadOfFailing) {
            throw bug;
          }
          return Future.failedFuture(bug);
        });
    send(P0, 0);
    Await.until("offset 0 dead-lettered", WITHIN, () -> !deadLetters.isEmpty());
    send(P0, 1, 2);
    Await.until("the partition committed past the bug", WITHIN, () -> committed(P0) == 3);
    assertEquals(List.of(List.of(0L), List.of(1L, 2L)), runsOf(0));
    assertEquals(List.of(new DeadLetter(0, 0, bug)), List.copyOf(deadLetters));
  }

  @Test
  void anOutageLeavesTheRecordUncommittedAndNotDeadLettered() {
    startBatched(
        run ->
            run.partition() == 0
                ? Future.failedFuture(new TimeoutException("store down"))
                : Future.succeededFuture());
    send(P0, 0);
    Await.until("offset 0 handed on", WITHIN, () -> runsOf(0).size() == 1);
    onContextRoundTrip();
    send(P1, 0);
    Await.until("partition 1 committed", WITHIN, () -> committed(P1) == 1);
    assertEquals(-1, committed(P0), "redelivered to whoever owns the partition next");
    assertEquals(1, inFlight());
    assertTrue(deadLetters.isEmpty(), deadLetters::toString);
  }

  @Test
  void stopWaitsForTheRunInFlightThenCommitsItAndCloses() {
    startBatched(run -> run.done().future());
    send(P0, 0, 1);
    Await.until("the run started", WITHIN, () -> runsOf(0).size() == 1);
    Future<Void> stop = onContext(() -> consumer.stop(WITHIN.toMillis()));
    Await.until(
        "stop paused the partitions", WITHIN, () -> broker.paused().containsAll(List.of(P0, P1)));
    onContextRoundTrip();
    assertFalse(stop.isComplete(), "stop drains the run in flight first");

    finish(p0Run(0));
    Await.result(stop);
    stopped = true;
    assertEquals(2, committed(P0));
    assertTrue(broker.closed());
  }

  /** With no periodic commit in the test's time, what is committed is stop's commit. */
  @Test
  void stopAtItsDeadlineCommitsWhatIsCompleteAndLeavesTheRest() {
    start(
        null,
        (records, revoked) ->
            handle(
                records,
                run -> run.partition() == 0 ? run.done().future() : Future.succeededFuture()),
        new OrderedConsumer.Settings(256, WITHIN.toMillis() * 6));
    send(P0, 0);
    send(P1, 0, 1);
    Await.until(
        "partition 0 in flight, partition 1 handled",
        WITHIN,
        () -> runsOf(1).stream().mapToInt(List::size).sum() == 2 && inFlight() == 1);
    assertEquals(-1, committed(P1));
    Await.result(onContext(() -> consumer.stop(50)));
    stopped = true;
    assertEquals(2, committed(P1));
    assertEquals(-1, committed(P0), "left for the next owner");
    assertTrue(broker.closed());
  }

  private void startBatched(Function<Run, Future<Void>> outcome) {
    start(null, (records, revoked) -> handle(records, outcome), SETTINGS);
  }

  /** Record mode: each record is a run of one. */
  private void startRecords(Function<Run, Future<Void>> outcome) {
    start((record, revoked) -> handle(List.of(record), outcome), null, SETTINGS);
  }

  private void start(
      OrderedConsumer.RecordHandler handler,
      OrderedConsumer.BatchHandler batchHandler,
      OrderedConsumer.Settings settings) {
    broker.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer =
        Await.result(
            onContext(
                () ->
                    OrderedConsumer.start(
                        vertx,
                        KafkaConsumer.create(vertx, broker).pollTimeout(Duration.ofMillis(20)),
                        "ordered-consumer-test",
                        Set.of(TOPIC),
                        handler,
                        batchHandler,
                        this::deadLetter,
                        settings)));
    broker.rebalance(List.of(P0, P1));
  }

  /**
   * Records the run and how many runs of its partition are in flight, then answers as the test
   * says.
   */
  private Future<Void> handle(
      List<KafkaConsumerRecord<String, String>> records, Function<Run, Future<Void>> outcome) {
    Run run =
        new Run(
            records.get(0).partition(),
            records.stream().map(KafkaConsumerRecord::offset).toList(),
            Promise.promise());
    runs.add(run);
    AtomicInteger inFlight =
        runsInFlight.computeIfAbsent(run.partition(), p -> new AtomicInteger());
    mostRunsInFlightOfOnePartition.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      return outcome.apply(run).andThen(done -> inFlight.decrementAndGet());
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      throw e;
    }
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, String> record, Throwable cause) {
    deadLetters.add(new DeadLetter(record.partition(), record.offset(), cause));
    return Future.succeededFuture();
  }

  /** Adds the records under the broker's lock, so that one poll returns them all. */
  private void send(TopicPartition partition, long... offsets) {
    synchronized (broker) {
      for (long offset : offsets) {
        broker.addRecord(
            new ConsumerRecord<>(TOPIC, partition.partition(), offset, "k" + offset, "v" + offset));
      }
    }
  }

  private List<List<Long>> runsOf(int partition) {
    return runs.stream().filter(run -> run.partition() == partition).map(Run::offsets).toList();
  }

  private Run p0Run(int index) {
    return runs.stream().filter(run -> run.partition() == 0).toList().get(index);
  }

  private void finish(Run run) {
    context.runOnContext(v -> run.done().complete());
  }

  private long committed(TopicPartition partition) {
    return broker.lastCommit(partition);
  }

  private int inFlight() {
    return Await.result(onContext(() -> Future.succeededFuture(consumer.inFlight())));
  }

  /** Lets whatever the context queued so far run before the test looks. */
  private void onContextRoundTrip() {
    Await.result(onContext(() -> Future.succeededFuture()));
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  /**
   * Kafka's mock as the broker: a poll waits up to its timeout for news, as a real poll does,
   * instead of returning at once (the Vert.x consumer would poll it in a busy loop); every commit
   * is remembered, readable after close.
   */
  private static final class Broker extends MockConsumer<String, String> {
    private final Map<TopicPartition, Long> commits = new HashMap<>();
    private boolean news;

    Broker() {
      super(OffsetResetStrategy.EARLIEST);
    }

    @Override
    public synchronized ConsumerRecords<String, String> poll(Duration timeout) {
      if (!news) {
        try {
          wait(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      news = false;
      return super.poll(timeout);
    }

    @Override
    public synchronized void addRecord(ConsumerRecord<String, String> record) {
      super.addRecord(record);
      wake();
    }

    @Override
    public synchronized void rebalance(Collection<TopicPartition> assignment) {
      super.rebalance(assignment);
      wake();
    }

    @Override
    public synchronized void wakeup() {
      super.wakeup();
      wake();
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      super.commitSync(offsets);
      offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
    }

    /**
     * The offset committed last for the partition, -1 before its first commit; a commit is read
     * whole.
     */
    synchronized long lastCommit(TopicPartition partition) {
      return commits.getOrDefault(partition, -1L);
    }

    private void wake() {
      news = true;
      notifyAll();
    }
  }
}
