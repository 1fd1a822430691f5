package cache;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis as a cache: every command has a deadline, so a hung or absent Redis costs a request at most
 * that long. Callers treat a failure as a miss and go to PostgreSQL; this class logs the outage
 * once when it starts and once when Redis answers again, not on every command.
 */
public final class RedisCache {
  private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);
  private static final long COMMAND_TIMEOUT_MS = 1_000;
  private static final int CONNECT_TIMEOUT_MS = 1_000;

  private final Redis client;
  private final RedisAPI api;
  private final String owner;
  private final AtomicBoolean down = new AtomicBoolean();

  private RedisCache(Redis client, String owner) {
    this.client = client;
    this.api = RedisAPI.api(client);
    this.owner = owner;
  }

  /**
   * @param owner names the user in the outage log lines (e.g. "quotes API")
   */
  public static RedisCache create(Vertx vertx, JsonObject config, String owner) {
    RedisOptions options =
        new RedisOptions()
            .setConnectionString(config.getString(ConfigKeys.REDIS_CONNECTION_STRING))
            .setNetClientOptions(
                new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpNoDelay(true))
            .setMaxPoolSize(8)
            .setMaxPoolWaiting(1024)
            .setMaxWaitingHandlers(4096);
    return new RedisCache(Redis.createClient(vertx, options), owner);
  }

  public Future<String> get(String key) {
    return call(() -> api.get(key)).map(RedisCache::text);
  }

  /** Values of the keys in order, null where a key is absent. */
  public Future<List<String>> mget(List<String> keys) {
    return call(() -> api.mget(keys))
        .map(
            response -> {
              List<String> values = new ArrayList<>(keys.size());
              response.forEach(value -> values.add(text(value)));
              return values;
            });
  }

  public Future<Void> setEx(String key, long ttlSeconds, String value) {
    return call(() -> api.setex(key, Long.toString(ttlSeconds), value)).mapEmpty();
  }

  public Future<Void> del(String key) {
    return del(List.of(key));
  }

  public Future<Void> del(List<String> keys) {
    return call(() -> api.del(keys)).mapEmpty();
  }

  /** A field of a hash, null when the hash or the field is absent. */
  public Future<String> hget(String key, String field) {
    return call(() -> api.hget(key, field)).map(RedisCache::text);
  }

  /**
   * Invalidation with a generation, for {@link CacheSlot}s: a script that starts with this line
   * stops (returns 0) when the generation in KEYS[1] is no longer ARGV[1], the one its slot saw
   * before loading.
   */
  public static final String IF_GENERATION_UNCHANGED =
      "if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end\n";

  /** Bumps the generation in KEYS[1] and deletes the other keys, in one step. */
  private static final String BUMP_AND_DELETE =
      """
      redis.call('INCR', KEYS[1])
      for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
      return 1
      """;

  /**
   * Deletes {@code keys} and bumps {@code generationKey}, so slots that read before cannot fill
   * them again.
   */
  public Future<Void> invalidate(String generationKey, List<String> keys) {
    List<String> all = new ArrayList<>(1 + keys.size());
    all.add(generationKey);
    all.addAll(keys);
    return eval(BUMP_AND_DELETE, all, List.of()).mapEmpty();
  }

  /** EVAL script numkeys keys... args... */
  public Future<Response> eval(String script, List<String> keys, List<String> args) {
    List<String> command = new ArrayList<>(2 + keys.size() + args.size());
    command.add(script);
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    return call(() -> api.eval(command));
  }

  /** A health probe: answered or failed as is, never marked as an outage of the cache. */
  public Future<Void> ping() {
    return api.ping(List.of()).mapEmpty();
  }

  public Future<Void> close() {
    return client.close();
  }

  private Future<Response> call(Supplier<Future<Response>> command) {
    return command
        .get()
        .timeout(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(
            ok -> {
              if (down.compareAndSet(true, false)) {
                LOG.info("Redis answers again; {} uses the cache again", owner);
              }
            })
        .onFailure(
            e -> {
              if (down.compareAndSet(false, true)) {
                LOG.warn(
                    "Redis unavailable ({}); {} reads PostgreSQL until it is back",
                    e.getMessage(),
                    owner);
              }
            });
  }

  private static String text(Response value) {
    return value == null ? null : value.toString();
  }
}
