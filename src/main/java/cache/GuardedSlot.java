package cache;

import io.vertx.core.Future;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@link CacheSlot} that reads the generation with the value, and fills through a guarded script.
 */
final class GuardedSlot implements CacheSlot {
  /** KEYS: generation, key; ARGV: generation seen, value, TTL seconds. */
  static final String SET_IF_UNCHANGED =
      RedisCache.IF_GENERATION_UNCHANGED
          + "redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) return 1";

  /**
   * Caches a loaded answer, given the generation the slot saw; the script must start with the
   * guard.
   */
  interface Fill {
    Future<?> apply(String seenGeneration, String json);
  }

  /**
   * The generation (null while never bumped) and the cached value (null when none), in that order.
   */
  private final Supplier<Future<List<String>>> reader;

  private final Fill fill;
  private String seen;

  GuardedSlot(Supplier<Future<List<String>>> reader, Fill fill) {
    this.reader = reader;
    this.fill = fill;
  }

  /** A plain key with a TTL, read with its generation in one MGET. */
  static GuardedSlot key(RedisCache redis, String generationKey, String key, long ttlSeconds) {
    return new GuardedSlot(
        () -> redis.mget(List.of(generationKey, key)),
        (seen, json) ->
            redis.eval(
                SET_IF_UNCHANGED,
                List.of(generationKey, key),
                List.of(seen, json, Long.toString(ttlSeconds))));
  }

  /** A field of a hash: the generation is read first, then the field. */
  static GuardedSlot hashField(
      RedisCache redis, String generationKey, String hash, String field, Fill fill) {
    return new GuardedSlot(
        () ->
            redis
                .get(generationKey)
                .compose(
                    generation ->
                        redis.hget(hash, field).map(value -> Arrays.asList(generation, value))),
        fill);
  }

  @Override
  public Future<String> read() {
    return reader
        .get()
        .map(
            generationAndValue -> {
              seen = generationAndValue.get(0) == null ? "0" : generationAndValue.get(0);
              return generationAndValue.get(1);
            });
  }

  /** Skipped when the read failed (no generation seen) or an invalidation ran since. */
  @Override
  public Future<Void> write(String json) {
    return seen == null ? Future.succeededFuture() : fill.apply(seen, json).mapEmpty();
  }
}
