package cache;

import io.vertx.core.Future;
import java.util.List;

/**
 * Portfolio answers in Redis, under seed 003's keys: {@code portfolio:aggregate:{id}} for the
 * portfolio and {@code portfolio:history:{id}:{days}d} for its history. The history keys of a
 * portfolio are listed in a set ({@code portfolio:history:{id}:keys}), so a seed drops every one of
 * them in one script, without a scan. A seed also bumps the portfolio's {@code
 * portfolio:generation:{id}}, so a read that loaded before the seed committed does not cache its
 * answer after the seed dropped it ({@link CacheSlot}).
 */
public final class PortfolioCache {
  /** KEYS: generation, history key, history index; ARGV: generation seen, value, TTL seconds. */
  private static final String PUT_HISTORY =
      RedisCache.IF_GENERATION_UNCHANGED
          + """
          redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
          redis.call('SADD', KEYS[3], KEYS[2])
          redis.call('EXPIRE', KEYS[3], ARGV[3])
          return 1
          """;

  /** KEYS: generation, aggregate key, history index. */
  private static final String DROP =
      """
      redis.call('INCR', KEYS[1])
      local keys = redis.call('SMEMBERS', KEYS[3])
      for _, key in ipairs(keys) do redis.call('DEL', key) end
      redis.call('DEL', KEYS[2], KEYS[3])
      return #keys
      """;

  private final RedisCache redis;

  public PortfolioCache(RedisCache redis) {
    this.redis = redis;
  }

  public static String aggregateKey(String portfolioId) {
    return "portfolio:aggregate:" + portfolioId;
  }

  public static String historyKey(String portfolioId, int days) {
    return "portfolio:history:" + portfolioId + ":" + days + "d";
  }

  private static String historyIndex(String portfolioId) {
    return "portfolio:history:" + portfolioId + ":keys";
  }

  private static String generation(String portfolioId) {
    return "portfolio:generation:" + portfolioId;
  }

  public CacheSlot aggregate(String portfolioId, long ttlSeconds) {
    return GuardedSlot.key(redis, generation(portfolioId), aggregateKey(portfolioId), ttlSeconds);
  }

  public CacheSlot history(String portfolioId, int days, long ttlSeconds) {
    String key = historyKey(portfolioId, days);
    return new GuardedSlot(
        () -> redis.mget(List.of(generation(portfolioId), key)),
        (seen, json) ->
            redis.eval(
                PUT_HISTORY,
                List.of(generation(portfolioId), key, historyIndex(portfolioId)),
                List.of(seen, json, Long.toString(ttlSeconds))));
  }

  /** Drops the cached portfolio and every cached history range of it. */
  public Future<Void> invalidate(String portfolioId) {
    return redis
        .eval(
            DROP,
            List.of(generation(portfolioId), aggregateKey(portfolioId), historyIndex(portfolioId)),
            List.of())
        .mapEmpty();
  }
}
