package cache;

import domain.Tick;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.QuoteStore;

/**
 * Latest quotes, read through Redis: cached symbols come from Redis, the rest from realtime_quote,
 * and those are put back into Redis. With Redis down every symbol comes from PostgreSQL; never an
 * error.
 */
public final class QuoteLookup {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteLookup.class);

  private final QuoteCache cache;
  private final QuoteStore store;

  public QuoteLookup(QuoteCache cache, QuoteStore store) {
    this.cache = cache;
    this.store = store;
  }

  /** The quotes of the known symbols, in the order asked; unknown symbols are absent. */
  public Future<Map<String, Tick>> latest(List<String> symbols) {
    return cache
        .getAll(symbols)
        .otherwise(e -> Map.of())
        .compose(cached -> withMisses(symbols, cached));
  }

  private Future<Map<String, Tick>> withMisses(List<String> symbols, Map<String, Tick> cached) {
    List<String> misses = symbols.stream().filter(symbol -> !cached.containsKey(symbol)).toList();
    if (misses.isEmpty()) {
      return Future.succeededFuture(cached);
    }
    return store
        .latest(misses)
        .map(
            fromDb -> {
              if (!fromDb.isEmpty()) {
                cache
                    .putIfNewer(fromDb.values())
                    .onFailure(e -> LOG.debug("quote cache fill skipped: {}", e.getMessage()));
              }
              Map<String, Tick> merged = new LinkedHashMap<>();
              for (String symbol : symbols) {
                Tick quote = cached.containsKey(symbol) ? cached.get(symbol) : fromDb.get(symbol);
                if (quote != null) {
                  merged.put(symbol, quote);
                }
              }
              return merged;
            });
  }
}
