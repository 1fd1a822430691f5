package store;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/** A {@link CacheSlot} that reads the generation before the value, and fills through a guarded script. */
final class GuardedSlot implements CacheSlot {
  /** KEYS: generation, key; ARGV: generation seen, value, TTL seconds. */
  static final String SET_IF_UNCHANGED = RedisCache.IF_GENERATION_UNCHANGED
      + "redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) return 1";

  /** Caches a loaded answer, given the generation the slot saw; the script must start with the guard. */
  interface Fill {
    Future<?> apply(String seenGeneration, String json);
  }

  private final RedisCache redis;
  private final String generationKey;
  private final Supplier<Future<String>> reader;
  private final Fill fill;
  private String seen;

  GuardedSlot(RedisCache redis, String generationKey, Supplier<Future<String>> reader, Fill fill) {
    this.redis = redis;
    this.generationKey = generationKey;
    this.reader = reader;
    this.fill = fill;
  }

  /** A plain key with a TTL. */
  static GuardedSlot key(RedisCache redis, String generationKey, String key, long ttlSeconds) {
    return new GuardedSlot(redis, generationKey, () -> redis.get(key), (seen, json) -> redis.eval(SET_IF_UNCHANGED,
        List.of(generationKey, key), List.of(seen, json, Long.toString(ttlSeconds))));
  }

  @Override
  public Future<String> read() {
    return redis.generation(generationKey).compose(generation -> {
      seen = generation;
      return reader.get();
    });
  }

  /** Skipped when the read failed (no generation seen) or an invalidation ran since. */
  @Override
  public Future<Void> write(String json) {
    return seen == null ? Future.succeededFuture() : fill.apply(seen, json).mapEmpty();
  }
}
