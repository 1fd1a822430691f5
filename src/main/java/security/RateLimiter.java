package security;

import contract.ConfigKeys;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import store.RedisCache;

/**
 * A token bucket per client: RATE_LIMIT_PER_SECOND refilled, RATE_LIMIT_BURST at most. In one JVM the buckets
 * are Bucket4j's, shared by every HTTP verticle instance; clustered, they live in Redis, so a client gets one
 * limit however the balancer spreads its requests. When Redis does not answer, requests pass: the limit
 * protects the service, and must not take it down with the cache.
 */
public final class RateLimiter {
  /** Whether a request may go on, and if not, after how many seconds to retry. */
  public record Decision(boolean allowed, long retryAfterSeconds) {
    public static final Decision ALLOWED = new Decision(true, 0);
  }

  private static final String BUCKETS = "rate-limit-buckets";
  /**
   * One bucket per key in a Redis hash (tokens, last refill in ms); Redis's clock, so nodes agree. Returns
   * {allowed, milliseconds until a token}.
   */
  private static final String TAKE_TOKEN = """
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

  private final LocalMap<String, SharedBucket> local;
  private final RedisCache redis; // null when not clustered
  private final long perSecond;
  private final long burst;

  /** A Bucket4j bucket in a Vert.x local map, shared by the verticle instances of one JVM. */
  private record SharedBucket(Bucket bucket) implements Shareable {}

  private RateLimiter(Vertx vertx, RedisCache redis, long perSecond, long burst) {
    this.local = vertx.sharedData().getLocalMap(BUCKETS);
    this.redis = redis;
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** Null when RATE_LIMIT_ENABLED is false. */
  public static RateLimiter create(Vertx vertx, JsonObject config, RedisCache redis) {
    if (!config.getBoolean(ConfigKeys.RATE_LIMIT_ENABLED)) {
      return null;
    }
    return new RateLimiter(vertx, sharedThroughRedis(vertx, config) ? redis : null,
        config.getLong(ConfigKeys.RATE_LIMIT_PER_SECOND), config.getLong(ConfigKeys.RATE_LIMIT_BURST));
  }

  /** RATE_LIMIT_STORE: "local", "redis", or "auto" (Redis when clustered, so every node counts one bucket). */
  public static boolean sharedThroughRedis(Vertx vertx, JsonObject config) {
    String store = config.getString(ConfigKeys.RATE_LIMIT_STORE);
    return switch (store) {
      case "local" -> false;
      case "redis" -> true;
      case "auto" -> vertx.isClustered();
      default -> throw new IllegalArgumentException(ConfigKeys.RATE_LIMIT_STORE + " must be auto, local or redis, not '"
          + store + "'");
    };
  }

  /** Takes a token from {@code client}'s bucket; it completes at once unless the buckets live in Redis. */
  public Future<Decision> take(String client) {
    return redis == null ? Future.succeededFuture(takeLocally(client)) : takeInRedis(client);
  }

  private Decision takeLocally(String client) {
    ConsumptionProbe probe = local.computeIfAbsent(client, key -> new SharedBucket(newBucket())).bucket()
        .tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Decision.ALLOWED
        : new Decision(false, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999)));
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
        .build();
  }

  private Future<Decision> takeInRedis(String client) {
    return redis.eval(TAKE_TOKEN, List.of("ratelimit:" + client), List.of(Long.toString(perSecond), Long.toString(burst)))
        .map(answer -> answer.get(0).toInteger() == 1 ? Decision.ALLOWED
            : new Decision(false, Math.max(1, (answer.get(1).toLong() + 999) / 1000)))
        .otherwise(Decision.ALLOWED);
  }

  /** Drops the buckets of clients that have been quiet long enough to be full again: the map stays small. */
  public void forgetIdleClients() {
    local.keySet().forEach(client -> {
      SharedBucket shared = local.get(client);
      if (shared != null && shared.bucket().getAvailableTokens() >= burst) {
        local.remove(client, shared);
      }
    });
  }
}
