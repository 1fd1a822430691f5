package store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cache.CacheSlot;
import cache.LedgerCache;
import cache.PortfolioCache;
import cache.RedisCache;
import domain.ChainTransaction;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;
import support.TestInfra;

/**
 * The race a read-through cache has: a read misses, loads from PostgreSQL, and meanwhile a write
 * commits and drops the cached keys; the load then caches what it read before the write. Here the
 * write's invalidation runs between the slot's read and its fill, as it would in that race, against
 * the real Redis: the fill is skipped, and a read after it caches as usual.
 */
@Tag("integration")
class CacheSlotTest {
  private static final long TTL = 60;
  private static Vertx vertx;
  private static RedisCache redis;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = RedisCache.create(vertx, TestInfra.config(), "cache slot test");
  }

  @AfterAll
  static void close() {
    Await.result(redis.close());
    Await.result(vertx.close());
  }

  @Test
  void aLedgerReadThatLoadedBeforeATransferDoesNotCacheItsOldBalance() {
    LedgerCache cache = new LedgerCache(redis, TTL);
    String payer = "SLOT-" + UUID.randomUUID();
    ChainTransaction transfer =
        ChainTransaction.transfer(payer, payer + "-to", BigDecimal.ONE, "SIM_COIN");
    String key = LedgerCache.balanceKey(payer, "SIM_COIN");

    CacheSlot before = cache.balance(payer, "SIM_COIN");
    assertNull(Await.result(before.read()), "a miss");
    Await.result(cache.invalidate(transfer)); // the transfer commits while the miss loads
    Await.result(before.write("{\"balance\":\"10\"}"));
    assertNull(Await.result(redis.get(key)), "the balance read before the transfer is not cached");

    CacheSlot after = cache.balance(payer, "SIM_COIN");
    assertNull(Await.result(after.read()));
    Await.result(after.write("{\"balance\":\"9\"}"));
    assertEquals(
        "{\"balance\":\"9\"}", Await.result(redis.get(key)), "a read after the transfer caches");
    assertEquals(
        "{\"balance\":\"9\"}",
        Await.result(cache.balance(payer, "SIM_COIN").read()),
        "and is served");
  }

  @Test
  void aBlockPageLoadedBeforeATransferIsNotCached() {
    LedgerCache cache = new LedgerCache(redis, TTL);
    String query = "page=1&size=" + (1 + new java.util.Random().nextInt(1000));
    CacheSlot before = cache.blockPage(query);
    Await.result(before.read());
    Await.result(
        cache.invalidate(
            ChainTransaction.mint("SLOT-" + UUID.randomUUID(), BigDecimal.ONE, "SIM_COIN")));
    Await.result(before.write("[\"old\"]"));
    assertNull(Await.result(redis.hget(LedgerCache.BLOCK_LIST, query)));

    CacheSlot after = cache.blockPage(query);
    Await.result(after.read());
    Await.result(after.write("[\"new\"]"));
    assertEquals("[\"new\"]", Await.result(redis.hget(LedgerCache.BLOCK_LIST, query)));
  }

  @Test
  void aPortfolioReadThatLoadedBeforeASeedDoesNotCacheTheOldPortfolio() {
    PortfolioCache cache = new PortfolioCache(redis);
    String id = "SLOT-" + UUID.randomUUID();

    CacheSlot aggregate = cache.aggregate(id, TTL);
    CacheSlot history = cache.history(id, 7, TTL);
    Await.result(aggregate.read());
    Await.result(history.read());
    Await.result(cache.invalidate(id)); // the seed commits while both load
    Await.result(aggregate.write("{\"v\":1}"));
    Await.result(history.write("{\"h\":1}"));
    assertNull(Await.result(redis.get(PortfolioCache.aggregateKey(id))));
    assertNull(Await.result(redis.get(PortfolioCache.historyKey(id, 7))));

    CacheSlot fresh = cache.history(id, 7, TTL);
    Await.result(fresh.read());
    Await.result(fresh.write("{\"h\":2}"));
    assertEquals("{\"h\":2}", Await.result(redis.get(PortfolioCache.historyKey(id, 7))));
    Await.result(cache.invalidate(id));
    assertNull(
        Await.result(redis.get(PortfolioCache.historyKey(id, 7))),
        "a seed drops every cached history range");
  }
}
