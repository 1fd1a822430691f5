package batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GroupCommit} on its own: no Vert.x, no database. The writer is a fake whose batches the
 * test completes by hand, so "a write in flight" is a future not yet completed; what matters is
 * which batches it is given and how each item is answered.
 */
@Tag("unit")
class GroupCommitTest {
  /** A queued item; conflict and ordering keys may be null, as GroupCommit allows. */
  private record Item(String name, Object conflictKey, Object orderingKey, GroupCommit.Unit unit)
      implements GroupCommit.Item {
    static Item of(String name) {
      return new Item(name, null, null, null);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The batches the writer was given, the items it wrote and the failures answered, in order. */
  private final List<List<String>> batches = new ArrayList<>();

  private final List<String> written = new ArrayList<>();
  private final Map<String, Throwable> failed = new LinkedHashMap<>();

  /** Writes not yet completed, oldest first; a write is held only while {@link #holding} is set. */
  private final ArrayDeque<Promise<Void>> inFlight = new ArrayDeque<>();

  private boolean holding;

  /** How a batch's write ends when it is not held: succeeded unless a test says otherwise. */
  private Function<List<Item>, Future<Void>> outcome = batch -> Future.succeededFuture();

  private GroupCommit<Item> groupCommit(int maxBatch) {
    return new GroupCommit<>(
        "group_commit_test_batch_size",
        maxBatch,
        this::write,
        (item, failure) -> failed.put(item.name(), failure));
  }

  private Future<Void> write(List<Item> batch) {
    batches.add(batch.stream().map(Item::name).toList());
    Future<Void> result;
    if (holding) {
      Promise<Void> promise = Promise.promise();
      inFlight.add(promise);
      result = promise.future();
    } else {
      result = outcome.apply(batch);
    }
    return result.onSuccess(v -> batch.forEach(item -> written.add(item.name())));
  }

  /**
   * Completes the oldest write in flight; the next batch, of what queued meanwhile, is held too.
   */
  private void finishHeldWrite() {
    inFlight.poll().complete();
  }

  /** Completes the oldest write in flight and holds no more: the writes after it end at once. */
  private void release() {
    holding = false;
    finishHeldWrite();
  }

  @Test
  void oneItemIsWrittenAtOnce() {
    GroupCommit<Item> commit = groupCommit(10);
    commit.add(Item.of("a"));
    assertEquals(List.of(List.of("a")), batches);
    assertEquals(List.of("a"), written);
  }

  @Test
  void itemsQueuedWhileAWriteIsInFlightFormTheNextBatchUpToMaxBatch() {
    GroupCommit<Item> commit = groupCommit(3);
    holding = true;
    commit.add(Item.of("a"));
    List.of("b", "c", "d", "e").forEach(name -> commit.add(Item.of(name)));
    assertEquals(List.of(List.of("a")), batches, "nothing else is written while a is in flight");
    finishHeldWrite();
    assertEquals(List.of(List.of("a"), List.of("b", "c", "d")), batches);
    release();
    assertEquals(List.of(List.of("a"), List.of("b", "c", "d"), List.of("e")), batches);
    assertEquals(List.of("a", "b", "c", "d", "e"), written);
    assertEquals(Map.of(), failed);
  }

  @Test
  void itemsWithEqualConflictKeysNeverShareABatchAndKeepTheirOrder() {
    GroupCommit<Item> commit = groupCommit(10);
    holding = true;
    commit.add(Item.of("first"));
    commit.add(new Item("x1", "X", null, null));
    commit.add(new Item("y1", "Y", null, null));
    commit.add(new Item("x2", "X", null, null));
    commit.add(new Item("z1", "Z", null, null));
    release();
    assertEquals(List.of(List.of("first"), List.of("x1", "y1"), List.of("x2", "z1")), batches);
    assertEquals(List.of("first", "x1", "y1", "x2", "z1"), written);
  }

  /** Final failures: data the database refuses, a refusal of ours, a bug. */
  static Stream<Throwable> finalFailures() {
    return Stream.of(
        new ViolationException(Violation.of(ErrorCode.INVALID_FIELD, "price", "price is negative")),
        new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null),
        new IllegalStateException("a bug in the writer"));
  }

  @ParameterizedTest
  @MethodSource("finalFailures")
  void aBatchThatFailsForGoodIsSplitAndOnlyTheBadItemFails(Throwable failure) {
    GroupCommit<Item> commit = groupCommit(10);
    outcome =
        batch ->
            names(batch).contains("bad") ? Future.failedFuture(failure) : Future.succeededFuture();
    holding = true;
    commit.add(Item.of("first"));
    List.of("a", "bad", "c").forEach(name -> commit.add(Item.of(name)));
    release();
    assertEquals(
        List.of(
            List.of("first"), List.of("a", "bad", "c"), List.of("a"), List.of("bad"), List.of("c")),
        batches);
    assertEquals(List.of("first", "a", "c"), written);
    assertEquals(Set.of("bad"), failed.keySet());
    assertSame(failure, failed.get("bad"));
  }

  /** Outages: the database is slow or the pool is closing; its senders retry. */
  static Stream<Throwable> outages() {
    return Stream.of(new TimeoutException("no answer in time"), new VertxException("Pool closed"));
  }

  @ParameterizedTest
  @MethodSource("outages")
  void anOutageFailsTheBatchsItemsWithoutWritingThemOneByOne(Throwable outage) {
    GroupCommit<Item> commit = groupCommit(10);
    outcome =
        batch ->
            names(batch).contains("a") ? Future.failedFuture(outage) : Future.succeededFuture();
    holding = true;
    commit.add(Item.of("first"));
    commit.add(Item.of("a"));
    commit.add(Item.of("b"));
    release();
    assertEquals(
        List.of(List.of("first"), List.of("a", "b")),
        batches,
        "no retry one by one during an outage");
    assertEquals(List.of("a", "b"), List.copyOf(failed.keySet()));
    failed.values().forEach(cause -> assertSame(outage, cause));
    commit.add(Item.of("later"));
    assertEquals(List.of("first", "later"), written, "the queue goes on");
  }

  @Test
  void afterAnOutageTheUnitsLaterItemsOfTheSameKeyFailUnwrittenWhileOtherKeysGoOn() {
    GroupCommit<Item> commit = groupCommit(1);
    GroupCommit.Unit unit = new GroupCommit.Unit();
    TimeoutException outage = new TimeoutException("no answer in time");
    holding = true;
    commit.add(new Item("a1", null, "A", unit));
    List.of(
            new Item("b1", null, "B", unit),
            new Item("a2", null, "A", unit),
            new Item("b2", null, "B", unit),
            new Item("a3-alone", null, "A", null))
        .forEach(commit::add);
    holding = false;
    inFlight.poll().fail(outage);
    assertEquals(
        List.of(List.of("a1"), List.of("b1"), List.of("b2"), List.of("a3-alone")), batches);
    assertEquals(
        List.of("b1", "b2", "a3-alone"), written, "key B and items outside the unit go on");
    assertEquals(List.of("a1", "a2"), List.copyOf(failed.keySet()));
    assertSame(
        outage, failed.get("a2"), "a2 fails with a1's outage, so its sender retries both in order");
  }

  /**
   * The split path: written alone, an item hits an outage; its unit's later item of that key is not
   * written.
   */
  @Test
  void anOutageWhileSplittingStopsTheSameKeyOfTheUnit() {
    GroupCommit<Item> commit = groupCommit(10);
    GroupCommit.Unit unit = new GroupCommit.Unit();
    TimeoutException outage = new TimeoutException("no answer in time");
    outcome =
        batch ->
            batch.size() > 1
                ? Future.failedFuture(new IllegalStateException("a bug"))
                : names(batch).equals(List.of("a1"))
                    ? Future.failedFuture(outage)
                    : Future.succeededFuture();
    holding = true;
    commit.add(Item.of("first"));
    List.of(
            new Item("a1", null, "A", unit),
            new Item("b1", null, "B", unit),
            new Item("a2", null, "A", unit))
        .forEach(commit::add);
    release();
    assertEquals(
        List.of(List.of("first"), List.of("a1", "b1", "a2"), List.of("a1"), List.of("b1")),
        batches);
    assertEquals(List.of("first", "b1"), written);
    assertEquals(List.of("a1", "a2"), List.copyOf(failed.keySet()));
    assertSame(outage, failed.get("a2"));
  }

  @Test
  void aWriterThatThrowsFailsItsItemsAndTheQueueGoesOn() {
    GroupCommit<Item> commit = groupCommit(10);
    RuntimeException thrown = new IllegalStateException("writer threw");
    outcome =
        batch -> {
          if (names(batch).contains("boom")) {
            throw thrown;
          }
          return Future.succeededFuture();
        };
    holding = true;
    commit.add(Item.of("first"));
    commit.add(Item.of("boom"));
    commit.add(Item.of("c"));
    release();
    commit.add(Item.of("d"));
    assertEquals(
        List.of(
            List.of("first"), List.of("boom", "c"), List.of("boom"), List.of("c"), List.of("d")),
        batches);
    assertEquals(List.of("first", "c", "d"), written);
    assertEquals(Map.of("boom", thrown), failed);
  }

  @Test
  void aLoneItemWhoseWriterThrowsFailsAndTheNextIsWrittenAtOnce() {
    GroupCommit<Item> commit = groupCommit(10);
    outcome =
        batch -> {
          throw new IllegalStateException("writer threw");
        };
    commit.add(Item.of("a"));
    outcome = batch -> Future.succeededFuture();
    commit.add(Item.of("b"));
    assertTrue(failed.get("a") instanceof IllegalStateException, String.valueOf(failed));
    assertEquals(List.of("b"), written);
  }

  /**
   * No batch ever holds two items of one conflict key (checked for every batch a test produced).
   */
  @Test
  void conflictKeysAreUniqueWithinEveryBatchUnderMixedLoad() {
    GroupCommit<Item> commit = groupCommit(4);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      items.add(new Item("i" + i, "K" + (i % 3), null, null));
    }
    Map<String, Object> keys = new LinkedHashMap<>();
    items.forEach(item -> keys.put(item.name(), item.conflictKey()));
    holding = true;
    commit.add(Item.of("first"));
    items.forEach(commit::add);
    release();
    for (List<String> batch : batches) {
      Set<Object> seen = new HashSet<>();
      batch.stream()
          .map(keys::get)
          .filter(key -> key != null)
          .forEach(
              key -> assertTrue(seen.add(key), () -> "two items of key " + key + " in " + batch));
      assertTrue(batch.size() <= 4, () -> "batch above maxBatch: " + batch);
    }
    assertEquals(41, written.size());
    assertEquals(items.stream().map(Item::name).toList(), written.subList(1, 41), "arrival order");
  }

  private static List<String> names(List<Item> batch) {
    return batch.stream().map(Item::name).toList();
  }
}
