package verticles;

import app.MetricsRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Smart batching for a persistence verticle: while one write is in flight, new items queue, and the next
 * write takes everything queued, up to {@code maxBatch}. At low load an item is written at once; under
 * load batches grow by themselves, so one transaction (one commit, one fsync) carries many items.
 *
 * <p>The writer answers every item of a batch it wrote, each with the outcome it would get if applied
 * alone in arrival order. When the database refuses the batch as data ({@code isBadData}), each item is
 * written alone, so only the bad one is refused; any other failure (an outage) fails just this batch's
 * items, and their senders retry.
 *
 * @param <T> a queued item: the bus message and what the writer needs of it
 */
final class GroupCommit<T> {
  private final int maxBatch;
  private final Function<T, Object> conflictKey;
  private final Function<List<T>, Future<Void>> writeAndAnswer;
  private final Predicate<Throwable> isBadData;
  private final BiConsumer<T, Throwable> answerFailure;
  private final DistributionSummary batchSizes;
  private final ArrayDeque<T> queued = new ArrayDeque<>();
  private boolean writing;

  /**
   * @param meter the name of the batch-size metric
   * @param conflictKey items with equal keys never share a batch (a null key never conflicts): for a
   *     statement that cannot touch one row twice; the later item goes to the next batch, in order
   * @param writeAndAnswer writes a batch in one transaction and answers each of its items
   * @param answerFailure answers one item whose write failed
   */
  GroupCommit(String meter, int maxBatch, Function<T, Object> conflictKey,
      Function<List<T>, Future<Void>> writeAndAnswer, Predicate<Throwable> isBadData,
      BiConsumer<T, Throwable> answerFailure) {
    this.maxBatch = maxBatch;
    this.conflictKey = conflictKey;
    this.writeAndAnswer = writeAndAnswer;
    this.isBadData = isBadData;
    this.answerFailure = answerFailure;
    this.batchSizes = DistributionSummary.builder(meter).description("items per write transaction (group commit)")
        .register(MetricsRegistry.get());
  }

  void add(T item) {
    queued.add(item);
    writeNext();
  }

  /** Items queued behind the write in flight. */
  int backlog() {
    return queued.size();
  }

  private void writeNext() {
    if (writing || queued.isEmpty()) {
      return;
    }
    writing = true;
    List<T> batch = nextBatch();
    batchSizes.record(batch.size());
    safely(batch)
        .recover(e -> isBadData.test(e) && batch.size() > 1 ? oneByOne(batch, 0) : failAll(batch, e))
        .onComplete(done -> {
          writing = false;
          writeNext();
        });
  }

  private List<T> nextBatch() {
    List<T> batch = new ArrayList<>();
    Set<Object> keys = new HashSet<>();
    while (!queued.isEmpty() && batch.size() < maxBatch && isFree(keys, conflictKey.apply(queued.peek()))) {
      batch.add(queued.poll());
    }
    return batch;
  }

  private static boolean isFree(Set<Object> keys, Object key) {
    return key == null || keys.add(key);
  }

  private Future<Void> oneByOne(List<T> batch, int next) {
    if (next == batch.size()) {
      return Future.succeededFuture();
    }
    T item = batch.get(next);
    return safely(List.of(item))
        .onFailure(e -> answerFailure.accept(item, e))
        .otherwiseEmpty()
        .compose(v -> oneByOne(batch, next + 1));
  }

  private Future<Void> failAll(List<T> batch, Throwable failure) {
    batch.forEach(item -> answerFailure.accept(item, failure));
    return Future.succeededFuture();
  }

  /** A writer that throws fails its batch instead of leaving the queue stuck with {@code writing} set. */
  private Future<Void> safely(List<T> batch) {
    try {
      return writeAndAnswer.apply(batch);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
