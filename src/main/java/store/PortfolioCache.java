package store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Portfolio answers in Redis, under seed 003's keys: {@code portfolio:aggregate:{id}} for the portfolio and
 * {@code portfolio:history:{id}:{days}d} for its history. The history keys of a portfolio are listed in a set
 * ({@code portfolio:history:{id}:keys}), so a seed drops every one of them in one script, without a scan.
 */
public final class PortfolioCache {
  private static final String PUT_HISTORY = """
      redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
      redis.call('SADD', KEYS[2], KEYS[1])
      redis.call('EXPIRE', KEYS[2], ARGV[2])
      return 1
      """;
  private static final String DROP = """
      local keys = redis.call('SMEMBERS', KEYS[2])
      for _, key in ipairs(keys) do redis.call('DEL', key) end
      redis.call('DEL', KEYS[1], KEYS[2])
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

  public Future<String> aggregate(String portfolioId) {
    return redis.get(aggregateKey(portfolioId));
  }

  public Future<Void> putAggregate(String portfolioId, long ttlSeconds, String json) {
    return redis.setEx(aggregateKey(portfolioId), ttlSeconds, json);
  }

  public Future<String> history(String portfolioId, int days) {
    return redis.get(historyKey(portfolioId, days));
  }

  public Future<Void> putHistory(String portfolioId, int days, long ttlSeconds, String json) {
    return redis.eval(PUT_HISTORY, List.of(historyKey(portfolioId, days), historyIndex(portfolioId)),
        List.of(json, Long.toString(ttlSeconds))).mapEmpty();
  }

  /** Drops the cached portfolio and every cached history range of it. */
  public Future<Void> invalidate(String portfolioId) {
    return redis.eval(DROP, List.of(aggregateKey(portfolioId), historyIndex(portfolioId)), List.of()).mapEmpty();
  }
}
