package cache;

import codec.QuoteJson;
import domain.Tick;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latest quotes in Redis, one key per symbol ({@code quote:SYMBOL}, a JSON string). Writes compare
 * the tick timestamp inside Redis (one Lua script), so a late writer, such as a REST read-through
 * racing the price consumer, never puts an older quote over a newer one. Keys expire, which bounds
 * how stale a quote can get if a write-through was lost while Redis was unreachable.
 */
public final class QuoteCache {
  public static final String KEY_PREFIX = "quote:";
  static final long TTL_MS = 60_000;

  private static final String PUT_IF_NEWER =
      """
      for i, key in ipairs(KEYS) do
        local ts = tonumber(ARGV[2 * i])
        local current = redis.call('GET', key)
        local newer = true
        if current then
          local ok, stored = pcall(cjson.decode, current)
          if ok and type(stored) == 'table' and tonumber(stored['timestamp_ms']) then
            newer = tonumber(stored['timestamp_ms']) <= ts
          end
        end
        if newer then
          redis.call('SET', key, ARGV[2 * i + 1], 'PX', ARGV[1])
        end
      end
      return #KEYS
      """;

  private final RedisCache redis;

  public QuoteCache(RedisCache redis) {
    this.redis = redis;
  }

  public static String key(String symbol) {
    return KEY_PREFIX + symbol;
  }

  /** The cached quotes among {@code symbols}; absent ones are simply missing from the map. */
  public Future<Map<String, Tick>> getAll(List<String> symbols) {
    if (symbols.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return redis
        .mget(symbols.stream().map(QuoteCache::key).toList())
        .map(
            values -> {
              Map<String, Tick> found = new LinkedHashMap<>();
              for (int i = 0; i < symbols.size(); i++) {
                if (values.get(i) != null) {
                  found.put(symbols.get(i), QuoteJson.fromJson(new JsonObject(values.get(i))));
                }
              }
              return found;
            });
  }

  public Future<Void> putIfNewer(Collection<Tick> quotes) {
    if (quotes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> keys = new ArrayList<>(quotes.size());
    List<String> args = new ArrayList<>(1 + 2 * quotes.size());
    args.add(Long.toString(TTL_MS));
    for (Tick quote : quotes) {
      keys.add(key(quote.symbol()));
      args.add(Long.toString(quote.timestampMs()));
      args.add(QuoteJson.toJson(quote).encode());
    }
    return redis.eval(PUT_IF_NEWER, keys, args).mapEmpty();
  }
}
