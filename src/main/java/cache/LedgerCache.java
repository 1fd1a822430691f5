package cache;

import domain.ChainTransaction;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The settlement ledger's read cache in Redis, every key under {@code blockchain:}, each entry
 * living at most the TTL. Blocks and transactions never change once written, so only balances and
 * the block listing go stale: a write drops the balances it moved and every cached listing page.
 * The listing pages are the fields of one hash, {@code blockchain:blocks}, so one DEL drops them
 * all; the hash expires the TTL after its first page was cached (EXPIRE NX, Redis 7). Every write
 * bumps {@code blockchain:generation}, so a read that loaded before a write committed does not
 * cache its answer after the write dropped it ({@link CacheSlot}). A failed command only costs the
 * cache: reads go to PostgreSQL.
 */
public final class LedgerCache {
  public static final String PREFIX = "blockchain:";
  public static final String BLOCK_LIST = PREFIX + "blocks";
  public static final String GENERATION = PREFIX + "generation";

  /** KEYS: generation, the listing hash; ARGV: generation seen, page query, page, TTL seconds. */
  private static final String PUT_PAGE =
      RedisCache.IF_GENERATION_UNCHANGED
          + "redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) redis.call('EXPIRE', KEYS[2], ARGV[4],"
          + " 'NX') return 1";

  private final RedisCache redis;
  private final long ttlSeconds;

  public LedgerCache(RedisCache redis, long ttlSeconds) {
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
  }

  public static String balanceKey(String accountId, String currency) {
    return PREFIX + "balance:" + currency + ":" + accountId;
  }

  public static String blockKey(long index) {
    return PREFIX + "block:" + index;
  }

  public static String transactionKey(UUID txId) {
    return PREFIX + "tx:" + txId;
  }

  public CacheSlot balance(String accountId, String currency) {
    return GuardedSlot.key(redis, GENERATION, balanceKey(accountId, currency), ttlSeconds);
  }

  public CacheSlot block(long index) {
    return CacheSlot.unchanging(redis, blockKey(index), ttlSeconds);
  }

  public CacheSlot transaction(UUID txId) {
    return CacheSlot.unchanging(redis, transactionKey(txId), ttlSeconds);
  }

  /**
   * @param query the page's canonical query string, naming it among the cached pages
   */
  public CacheSlot blockPage(String query) {
    return GuardedSlot.hashField(
        redis,
        GENERATION,
        BLOCK_LIST,
        query,
        (seen, json) ->
            redis.eval(
                PUT_PAGE,
                List.of(GENERATION, BLOCK_LIST),
                List.of(seen, query, json, Long.toString(ttlSeconds))));
  }

  /** Drops what a committed write made stale: the balances it moved and the block listing. */
  public Future<Void> invalidate(ChainTransaction written) {
    List<String> keys =
        new ArrayList<>(
            List.of(BLOCK_LIST, balanceKey(written.receiverAccountId(), written.currency())));
    if (written.senderAccountId() != null) {
      keys.add(balanceKey(written.senderAccountId(), written.currency()));
    }
    return redis.invalidate(GENERATION, keys);
  }

  public Future<Void> close() {
    return redis.close();
  }
}
