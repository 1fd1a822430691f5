package store;

import domain.ChainTransaction;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The settlement ledger's read cache in Redis, every key under {@code blockchain:}, each entry living at most
 * the TTL. Blocks and transactions never change once written, so only balances and the block listing go stale:
 * a write drops the balances it moved and every cached listing page. The listing pages are the fields of one
 * hash, {@code blockchain:blocks}, so one DEL drops them all; the hash expires the TTL after its first page was
 * cached (EXPIRE NX, Redis 7). A failed command only costs the cache: reads go to PostgreSQL.
 */
public final class LedgerCache {
  public static final String PREFIX = "blockchain:";
  public static final String BLOCK_LIST = PREFIX + "blocks";
  private static final String PUT_PAGE = "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
      + "redis.call('EXPIRE', KEYS[1], ARGV[3], 'NX') return 1";

  /** One cached read: what the cache holds (null when nothing), and how to cache a fresh answer. */
  public interface Slot {
    Future<String> read();

    Future<Void> write(String json);
  }

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

  public Slot balance(String accountId, String currency) {
    return key(balanceKey(accountId, currency));
  }

  public Slot block(long index) {
    return key(blockKey(index));
  }

  public Slot transaction(UUID txId) {
    return key(transactionKey(txId));
  }

  /** @param query the page's canonical query string, naming it among the cached pages */
  public Slot blockPage(String query) {
    return new Slot() {
      @Override
      public Future<String> read() {
        return redis.hget(BLOCK_LIST, query);
      }

      @Override
      public Future<Void> write(String json) {
        return redis.eval(PUT_PAGE, List.of(BLOCK_LIST), List.of(query, json, Long.toString(ttlSeconds))).mapEmpty();
      }
    };
  }

  /** Drops what a committed write made stale: the balances it moved and the block listing. */
  public Future<Void> invalidate(ChainTransaction written) {
    List<String> keys = new ArrayList<>(List.of(BLOCK_LIST, balanceKey(written.receiverAccountId(), written.currency())));
    if (written.senderAccountId() != null) {
      keys.add(balanceKey(written.senderAccountId(), written.currency()));
    }
    return redis.del(keys);
  }

  public Future<Void> close() {
    return redis.close();
  }

  private Slot key(String key) {
    return new Slot() {
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
