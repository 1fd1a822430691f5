package push;

import cache.QuoteLookup;
import domain.Tick;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coalesces the snapshot reads of a subscribe burst: while one read is in flight, requests queue,
 * and the next read fetches the union of their symbols once (in chunks of {@link
 * #MAX_SYMBOLS_PER_READ}). Ten thousand clients subscribing at once cost a few Redis round trips
 * instead of ten thousand, and no client's read waits in an overflowing connection-pool queue. Not
 * thread-safe: it lives on the push verticle's event loop.
 */
final class SnapshotReads {
  static final int MAX_SYMBOLS_PER_READ = 500;

  private record Request(List<String> symbols, Promise<Map<String, Tick>> result) {}

  private final QuoteLookup lookup;
  private final List<Request> waiting = new ArrayList<>();
  private boolean reading;
  private long reads;

  SnapshotReads(QuoteLookup lookup) {
    this.lookup = lookup;
  }

  /**
   * The latest quotes of {@code symbols} (unknown ones absent), read together with every other
   * request.
   */
  Future<Map<String, Tick>> latest(List<String> symbols) {
    Promise<Map<String, Tick>> result = Promise.promise();
    waiting.add(new Request(symbols, result));
    readWaiting();
    return result.future();
  }

  /** Reads issued so far (for the stats). */
  long reads() {
    return reads;
  }

  private void readWaiting() {
    if (reading || waiting.isEmpty()) {
      return;
    }
    reading = true;
    List<Request> batch = List.copyOf(waiting);
    waiting.clear();
    Set<String> union = new LinkedHashSet<>();
    batch.forEach(request -> union.addAll(request.symbols()));
    readInChunks(new ArrayList<>(union))
        .onSuccess(
            quotes ->
                batch.forEach(
                    request -> request.result().complete(subset(quotes, request.symbols()))))
        .onFailure(e -> batch.forEach(request -> request.result().fail(e)))
        .onComplete(
            done -> {
              reading = false;
              readWaiting();
            });
  }

  private Future<Map<String, Tick>> readInChunks(List<String> symbols) {
    List<Future<Map<String, Tick>>> chunks = new ArrayList<>();
    for (int from = 0; from < symbols.size(); from += MAX_SYMBOLS_PER_READ) {
      reads++;
      chunks.add(
          lookup.latest(
              symbols.subList(from, Math.min(symbols.size(), from + MAX_SYMBOLS_PER_READ))));
    }
    return Future.all(chunks)
        .map(
            done -> {
              Map<String, Tick> all = new LinkedHashMap<>();
              chunks.forEach(chunk -> all.putAll(chunk.result()));
              return all;
            });
  }

  private static Map<String, Tick> subset(Map<String, Tick> quotes, List<String> symbols) {
    Map<String, Tick> subset = new LinkedHashMap<>();
    for (String symbol : symbols) {
      Tick quote = quotes.get(symbol);
      if (quote != null) {
        subset.put(symbol, quote);
      }
    }
    return subset;
  }
}
