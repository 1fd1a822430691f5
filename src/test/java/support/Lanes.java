package support;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Bounded concurrency for load inside a scenario: N lanes, each one item at a time, in order. */
public final class Lanes {
  private Lanes() {}

  /**
   * Item i goes to lane i % lanes; completes when every lane is done, failing if any action failed.
   */
  public static <T> Future<Void> run(List<T> items, int lanes, Function<T, Future<?>> action) {
    List<Future<Void>> running = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      List<T> mine = new ArrayList<>();
      for (int i = lane; i < items.size(); i += lanes) {
        mine.add(items.get(i));
      }
      running.add(inTurn(mine, 0, action));
    }
    return Future.all(running).mapEmpty();
  }

  private static <T> Future<Void> inTurn(List<T> items, int next, Function<T, Future<?>> action) {
    return next == items.size()
        ? Future.succeededFuture()
        : action.apply(items.get(next)).compose(v -> inTurn(items, next + 1, action));
  }
}
