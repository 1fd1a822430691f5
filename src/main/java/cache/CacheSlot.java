package cache;

import io.vertx.core.Future;

/**
 * One cached answer: what the cache holds (null when nothing), and how to cache a freshly loaded
 * one. A slot is made per read. One whose value a write can change ({@link GuardedSlot}) remembers
 * the generation it saw when it read, and its write is skipped when an invalidation ran since: a
 * load that began before a write committed cannot put the old value back after the write dropped
 * it.
 */
public interface CacheSlot {
  Future<String> read();

  Future<Void> write(String json);

  /**
   * A key whose value never changes once written (a block, a transaction): nothing invalidates it.
   */
  static CacheSlot unchanging(RedisCache redis, String key, long ttlSeconds) {
    return new CacheSlot() {
      @Override
      public Future<String> read() {
        return redis.get(key);
      }

      @Override
      public Future<Void> write(String json) {
        return redis.setEx(key, ttlSeconds, json);
      }
    };
  }
}
