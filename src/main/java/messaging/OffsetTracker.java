package messaging;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Offsets of one partition from fetch to completion. The commit point only moves past a record once
 * it and every record before it are complete, so a commit never passes an unfinished record.
 */
public final class OffsetTracker {
  private final ArrayDeque<Long> started = new ArrayDeque<>();
  private final Set<Long> completedOutOfOrder = new HashSet<>();
  private long committable = -1;
  private long committed = -1;

  public void started(long offset) {
    started.addLast(offset);
  }

  public void completed(long offset) {
    completedOutOfOrder.add(offset);
    while (!started.isEmpty() && completedOutOfOrder.remove(started.peekFirst())) {
      committable = started.pollFirst() + 1;
    }
  }

  public int inFlight() {
    return started.size();
  }

  /**
   * The next offset to commit (Kafka's "next record to read"), if it moved since the last commit.
   */
  public OptionalLong pendingCommit() {
    return committable > committed ? OptionalLong.of(committable) : OptionalLong.empty();
  }

  public void committedUpTo(long offset) {
    committed = Math.max(committed, offset);
  }
}
