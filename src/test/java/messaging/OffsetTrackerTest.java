package messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class OffsetTrackerTest {

  @Test
  void commitPointStopsAtTheFirstUnfinishedOffset() {
    OffsetTracker tracker = new OffsetTracker();
    for (long offset = 10; offset <= 14; offset++) {
      tracker.started(offset);
    }
    tracker.completed(10);
    tracker.completed(12);
    tracker.completed(13);
    assertEquals(OptionalLong.of(11), tracker.pendingCommit(), "11 is still in flight");
    assertEquals(4, tracker.inFlight());
    tracker.completed(11);
    assertEquals(OptionalLong.of(14), tracker.pendingCommit());
    tracker.completed(14);
    assertEquals(OptionalLong.of(15), tracker.pendingCommit());
    assertEquals(0, tracker.inFlight());
  }

  @Test
  void nothingToCommitUntilTheFirstCompletesOrAfterACommit() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(0);
    tracker.started(1);
    tracker.completed(1);
    assertTrue(tracker.pendingCommit().isEmpty());
    tracker.completed(0);
    assertEquals(OptionalLong.of(2), tracker.pendingCommit());
    tracker.committedUpTo(2);
    assertTrue(tracker.pendingCommit().isEmpty());
  }

  @Test
  void gapsInOffsetsFromCompactionOrTransactionsDoNotBlock() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(5);
    tracker.started(9);
    tracker.completed(9);
    tracker.completed(5);
    assertEquals(OptionalLong.of(10), tracker.pendingCommit());
  }
}
