package security;

import cache.RedisCache;
import contract.ConfigKeys;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import metrics.Meters;

/**
 * Token buckets per client: RATE_LIMIT_PER_SECOND refilled, RATE_LIMIT_BURST at most, and a smaller
 * one of its own (RATE_LIMIT_EXPENSIVE_*) for the reads the contract marks {@code x-rate-limit:
 * expensive}, which cost the backends far more than one request's worth. In one JVM the buckets are
 * Bucket4j's, shared by every HTTP verticle instance; clustered, they live in Redis, so a client
 * gets one limit however the balancer spreads its requests. When Redis does not answer,
 * RATE_LIMIT_WHEN_STORE_DOWN decides: {@code local} (the default) counts in this JVM's buckets
 * meanwhile, so a client gets at most one limit per node and the cache's outage does not take the
 * service down with it; {@code open} lets every request through; {@code closed} refuses every one.
 * Each such decision is counted ({@link Meters#RATE_LIMIT_STORE_FAILURES}).
 */
public final class RateLimiter {
  /**
   * Whether a request may go on, and if not, after how many seconds to retry and whether the
   * limiter failed.
   */
  public record Decision(boolean allowed, long retryAfterSeconds, boolean storeDown) {
    public static final Decision ALLOWED = new Decision(true, 0, false);
    static final Decision STORE_DOWN = new Decision(false, 1, true);

    static Decision limited(long retryAfterSeconds) {
      return new Decision(false, Math.max(1, retryAfterSeconds), false);
    }
  }

  /** Which of a client's buckets a request takes from. */
  public enum Tier {
    DEFAULT,
    EXPENSIVE
  }

  /** What to do while the shared store does not answer. */
  public enum WhenStoreDown {
    LOCAL,
    OPEN,
    CLOSED
  }

  private static final String BUCKETS = "rate-limit-buckets";

  /**
   * One bucket per key in a Redis hash (tokens, last refill in ms); Redis's clock, so nodes agree.
   * Returns {allowed, milliseconds until a token}.
   */
  private static final String TAKE_TOKEN =
      """
      local rate = tonumber(ARGV[1])
      local burst = tonumber(ARGV[2])
      local t = redis.call('TIME')
      local now = t[1] * 1000 + math.floor(t[2] / 1000)
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
      local tokens = tonumber(state[1]) or burst
      local at = tonumber(state[2]) or now
      tokens = math.min(burst, tokens + (now - at) * rate / 1000)
      local allowed, wait = 0, 0
      if tokens >= 1 then
        tokens = tokens - 1
        allowed = 1
      else
        wait = math.ceil((1 - tokens) * 1000 / rate)
      end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
      redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
      return {allowed, wait}
      """;

  /** One tier's rate: tokens per second, and how many a full bucket holds. */
  private record Limit(long perSecond, long burst) {}

  private final LocalMap<String, SharedBucket> local;
  private final RedisCache redis; // null when the buckets live in this JVM
  private final Map<Tier, Limit> limits;
  private final WhenStoreDown whenStoreDown;
  private final Counter storeFailures;

  /** A Bucket4j bucket in a Vert.x local map, shared by the verticle instances of one JVM. */
  private record SharedBucket(Bucket bucket, Limit limit) implements Shareable {}

  private RateLimiter(
      Vertx vertx, RedisCache redis, Map<Tier, Limit> limits, WhenStoreDown whenStoreDown) {
    this.local = vertx.sharedData().getLocalMap(BUCKETS);
    this.redis = redis;
    this.limits = limits;
    this.whenStoreDown = whenStoreDown;
    this.storeFailures = Meters.rateLimitStoreFailures(whenStoreDown.name().toLowerCase());
  }

  /** Null when RATE_LIMIT_ENABLED is false. */
  public static RateLimiter create(Vertx vertx, JsonObject config, RedisCache redis) {
    if (!config.getBoolean(ConfigKeys.RATE_LIMIT_ENABLED)) {
      return null;
    }
    Map<Tier, Limit> limits = new EnumMap<>(Tier.class);
    limits.put(
        Tier.DEFAULT,
        new Limit(
            config.getLong(ConfigKeys.RATE_LIMIT_PER_SECOND),
            config.getLong(ConfigKeys.RATE_LIMIT_BURST)));
    limits.put(
        Tier.EXPENSIVE,
        new Limit(
            config.getLong(ConfigKeys.RATE_LIMIT_EXPENSIVE_PER_SECOND),
            config.getLong(ConfigKeys.RATE_LIMIT_EXPENSIVE_BURST)));
    return new RateLimiter(
        vertx,
        sharedThroughRedis(vertx, config) ? redis : null,
        limits,
        WhenStoreDown.valueOf(
            config.getString(ConfigKeys.RATE_LIMIT_WHEN_STORE_DOWN).toUpperCase()));
  }

  /**
   * RATE_LIMIT_STORE: "local", "redis", or "auto" (Redis when clustered, so every node counts one
   * bucket).
   */
  public static boolean sharedThroughRedis(Vertx vertx, JsonObject config) {
    String store = config.getString(ConfigKeys.RATE_LIMIT_STORE);
    return switch (store) {
      case "local" -> false;
      case "redis" -> true;
      case "auto" -> vertx.isClustered();
      default ->
          throw new IllegalArgumentException(
              ConfigKeys.RATE_LIMIT_STORE + " must be auto, local or redis, not '" + store + "'");
    };
  }

  /**
   * Takes a token from one of {@code client}'s buckets; it completes at once unless the buckets
   * live in Redis, and never fails.
   */
  public Future<Decision> take(Tier tier, String client) {
    String key = tier == Tier.DEFAULT ? client : tier.name().toLowerCase() + ":" + client;
    return redis == null ? Future.succeededFuture(takeLocally(tier, key)) : takeInRedis(tier, key);
  }

  private Decision takeLocally(Tier tier, String key) {
    ConsumptionProbe probe =
        local
            .computeIfAbsent(
                key, k -> new SharedBucket(newBucket(limits.get(tier)), limits.get(tier)))
            .bucket()
            .tryConsumeAndReturnRemaining(1);
    return probe.isConsumed()
        ? Decision.ALLOWED
        : Decision.limited(
            TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999));
  }

  private static Bucket newBucket(Limit limit) {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.perSecond(), Duration.ofSeconds(1))
                .build())
        .build();
  }

  private Future<Decision> takeInRedis(Tier tier, String key) {
    Limit limit = limits.get(tier);
    return redis
        .eval(
            TAKE_TOKEN,
            List.of("ratelimit:" + key),
            List.of(Long.toString(limit.perSecond()), Long.toString(limit.burst())))
        .map(
            answer ->
                answer.get(0).toInteger() == 1
                    ? Decision.ALLOWED
                    : Decision.limited((answer.get(1).toLong() + 999) / 1000))
        .otherwise(failure -> withoutTheStore(tier, key));
  }

  private Decision withoutTheStore(Tier tier, String key) {
    storeFailures.increment();
    return switch (whenStoreDown) {
      case LOCAL -> takeLocally(tier, key);
      case OPEN -> Decision.ALLOWED;
      case CLOSED -> Decision.STORE_DOWN;
    };
  }

  /**
   * Drops the buckets of clients that have been quiet long enough to be full again: the map stays
   * small.
   */
  public void forgetIdleClients() {
    local
        .keySet()
        .forEach(
            client -> {
              SharedBucket shared = local.get(client);
              if (shared != null
                  && shared.bucket().getAvailableTokens() >= shared.limit().burst()) {
                local.remove(client, shared);
              }
            });
  }
}
