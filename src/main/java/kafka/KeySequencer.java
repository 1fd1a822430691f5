package kafka;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Runs tasks of one key strictly one after another, and tasks of different keys concurrently. */
final class KeySequencer {
  private final Map<String, Future<Void>> tails = new HashMap<>();

  Future<Void> submit(String key, Supplier<Future<Void>> task) {
    Future<Void> previous = tails.getOrDefault(key, Future.succeededFuture());
    Future<Void> next = previous.transform(ignored -> task.get());
    tails.put(key, next);
    next.onComplete(ignored -> tails.remove(key, next));
    return next;
  }
}
