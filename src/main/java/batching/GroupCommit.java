package batching;

import failures.Failures;
import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import metrics.MetricsRegistry;

/**
 * Group commit, the one batching primitive of every writer: while one write is in flight, new items
 * queue, and the next write takes everything queued, up to {@code maxBatch}. At low load an item is
 * written at once; under load batches grow by themselves, so one transaction (one commit, one
 * fsync) carries many items.
 *
 * <p>The writer answers every item of a batch it wrote, each with the outcome it would get if
 * applied alone in arrival order. When a batch fails for good ({@link Failures}: a refusal, such as
 * data the database refuses, or a bug), each item is written alone, so only the bad one fails; an
 * outage fails just this batch's items, and their senders retry.
 *
 * <p>A writer may {@link #linger}: then a write waits for a full batch or for the linger time,
 * whichever comes first, trading latency for fewer, larger writes. {@link #drain} writes everything
 * held, for a graceful stop.
 *
 * <p>Items sent together in one request (a consumer's run of records) form a {@link Unit}: once an
 * outage fails one of them, the unit's later items of the same ordering key fail without being
 * written, so no later revision of an entity is applied before an earlier one its sender will
 * retry. Other keys go on.
 *
 * @param <T> a queued item
 */
public final class GroupCommit<T extends GroupCommit.Item> {
  /** What the batcher needs to know of an item. */
  public interface Item {
    /**
     * Items with equal keys never share a batch (null never conflicts): a statement cannot touch a
     * row twice.
     */
    default Object conflictKey() {
      return null;
    }

    /**
     * Items of one unit with equal keys apply in order; null means "orders with everything of its
     * unit".
     */
    default Object orderingKey() {
      return null;
    }

    /** The request the item came in with others, or null when it came alone. */
    default Unit unit() {
      return null;
    }
  }

  /** The items of one request; remembers which ordering keys an outage failed. */
  public static final class Unit {
    private final Set<Object> failedKeys = new HashSet<>();
    private Throwable failure;
    private boolean failedAll;

    private Throwable failureOf(Item item) {
      return failedAll || failedKeys.contains(item.orderingKey()) ? failure : null;
    }

    private void failed(Item item, Throwable cause) {
      failure = cause;
      if (item.orderingKey() == null) {
        failedAll = true;
      } else {
        failedKeys.add(item.orderingKey());
      }
    }
  }

  private final int maxBatch;
  private final Function<List<T>, Future<Void>> writeAndAnswer;
  private final BiConsumer<T, Throwable> answerFailure;
  private final DistributionSummary batchSizes;
  private final ArrayDeque<T> queued = new ArrayDeque<>();
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();

  /** Items of the batch being written; 0 when none is. */
  private int writing;

  private Vertx vertx;
  private long lingerMs;
  private long lingerTimer = -1;

  /** The linger time of the oldest queued item passed: its batch is written, full or not. */
  private boolean lingered;

  /** A drain asked for everything held to be written now, until nothing is. */
  private boolean draining;

  /**
   * @param meter the name of the batch-size metric
   * @param writeAndAnswer writes a batch in one transaction and answers each of its items
   * @param answerFailure answers one item whose write failed
   */
  public GroupCommit(
      String meter,
      int maxBatch,
      Function<List<T>, Future<Void>> writeAndAnswer,
      BiConsumer<T, Throwable> answerFailure) {
    this.maxBatch = maxBatch;
    this.writeAndAnswer = writeAndAnswer;
    this.answerFailure = answerFailure;
    this.batchSizes =
        DistributionSummary.builder(meter)
            .description("items per write transaction (group commit)")
            .register(MetricsRegistry.get());
  }

  /**
   * Holds items up to {@code lingerMs} for a full batch instead of writing at once; 0 (the default)
   * writes at once.
   *
   * @return this
   */
  public GroupCommit<T> linger(Vertx vertx, long lingerMs) {
    this.vertx = vertx;
    this.lingerMs = lingerMs;
    return this;
  }

  public void add(T item) {
    queued.add(item);
    writeNext();
  }

  /** Items held: queued, and in the batch being written. */
  public int held() {
    return queued.size() + writing;
  }

  /**
   * Writes everything held, lingering or not; completes once nothing is queued and no write is in
   * flight.
   */
  public Future<Void> drain() {
    draining = true;
    writeNext();
    if (held() == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    idleWaiters.add(idle);
    return idle.future();
  }

  private void writeNext() {
    if (writing > 0 || queued.isEmpty()) {
      idleNow();
      return;
    }
    if (lingerMs > 0 && !lingered && !draining && queued.size() < maxBatch) {
      lingerForMore();
      return;
    }
    lingered = false;
    List<T> batch = nextBatch();
    if (batch.isEmpty()) { // everything taken was answered as failed with its unit
      writeNext();
      return;
    }
    writing = batch.size();
    batchSizes.record(batch.size());
    safely(batch)
        .recover(e -> !isOutage(e) && batch.size() > 1 ? oneByOne(batch, 0) : failAll(batch, e))
        .onComplete(
            done -> {
              writing = 0;
              writeNext();
            });
  }

  private void lingerForMore() {
    if (lingerTimer < 0) {
      lingerTimer =
          vertx.setTimer(
              lingerMs,
              id -> {
                lingerTimer = -1;
                lingered = true;
                writeNext();
              });
    }
  }

  private void idleNow() {
    if (held() == 0) {
      draining = false;
      idleWaiters.forEach(Promise::complete);
      idleWaiters.clear();
    }
  }

  private List<T> nextBatch() {
    List<T> batch = new ArrayList<>();
    Set<Object> keys = new HashSet<>();
    while (!queued.isEmpty() && batch.size() < maxBatch) {
      T item = queued.peek();
      Throwable unitFailure = unitFailure(item);
      if (unitFailure != null) {
        answerFailure.accept(queued.poll(), unitFailure);
      } else if (item.conflictKey() == null || keys.add(item.conflictKey())) {
        batch.add(queued.poll());
      } else {
        break;
      }
    }
    return batch;
  }

  private Future<Void> oneByOne(List<T> batch, int next) {
    if (next == batch.size()) {
      return Future.succeededFuture();
    }
    T item = batch.get(next);
    Throwable unitFailure = unitFailure(item);
    if (unitFailure != null) {
      answerFailure.accept(item, unitFailure);
      return oneByOne(batch, next + 1);
    }
    return safely(List.of(item))
        .onFailure(e -> fail(item, e))
        .otherwiseEmpty()
        .compose(v -> oneByOne(batch, next + 1));
  }

  private Future<Void> failAll(List<T> batch, Throwable failure) {
    batch.forEach(item -> fail(item, failure));
    return Future.succeededFuture();
  }

  private void fail(T item, Throwable failure) {
    if (item.unit() != null && isOutage(failure)) {
      item.unit().failed(item, failure);
    }
    answerFailure.accept(item, failure);
  }

  private static boolean isOutage(Throwable failure) {
    return Failures.classify(failure) == Failures.Kind.OUTAGE;
  }

  private static Throwable unitFailure(Item item) {
    return item.unit() == null ? null : item.unit().failureOf(item);
  }

  /**
   * A writer that throws fails its batch instead of leaving the queue stuck with {@code writing}
   * set.
   */
  private Future<Void> safely(List<T> batch) {
    try {
      return writeAndAnswer.apply(batch);
    } catch (RuntimeException | AssertionError e) {
      return Future.failedFuture(e);
    }
  }
}
