package verticles;

import bus.Answering;
import cache.LedgerCache;
import cache.RedisCache;
import codec.IdempotencyJson;
import codec.LedgerJson;
import codec.Outcomes;
import contract.Addresses;
import contract.Headers;
import domain.BlockHash;
import domain.ChainTransaction;
import domain.HeadSignatures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.math.BigDecimal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.LedgerSettings;
import store.IdempotencyStore;
import store.LedgerStore;
import store.PgPools;

/**
 * The only writer of the settlement ledger (role {@code ledger}): {@code ledger.transfer} and
 * {@code ledger.seed-balance} take a transaction (as {@link LedgerJson} writes it), append it to
 * the chain in a block of its own, drop the cache entries it made stale, and reply {@code {status:
 * "stored", transaction, block, sender_balance, receiver_balance}}; or a refusal (unknown sender,
 * insufficient funds, data the database refuses). Writes the genesis block at startup when the
 * chain has none.
 */
public final class LedgerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerVerticle.class);

  private Pool pool;
  private LedgerStore store;
  private LedgerCache cache;

  @Override
  public Future<?> start() {
    LedgerSettings settings = LedgerSettings.from(config());
    HeadSignatures keys = settings.signingKeys();
    pool = PgPools.create(vertx, config());
    store = new LedgerStore(pool, keys);
    cache =
        new LedgerCache(RedisCache.create(vertx, config(), "ledger"), settings.cacheTtlSeconds());
    return store
        .ensureGenesis()
        .compose(
            genesis ->
                store
                    .signUnsigned()
                    .onSuccess(
                        signed -> {
                          if (signed > 0) {
                            LOG.info(
                                "Signed {} blocks sealed before blocks were signed (their hashes"
                                    + " verified first)",
                                signed);
                          }
                        })
                    .otherwise(
                        e -> {
                          LOG.error("Ledger blocks left unsigned: {}", e.getMessage());
                          return 0;
                        }))
        .compose(
            genesis ->
                vertx
                    .eventBus()
                    .<JsonObject>consumer(
                        Addresses.LEDGER_TRANSFER,
                        Answering.always(LOG, message -> settle(message, store::transfer)))
                    .completion())
        .compose(
            transfers ->
                vertx
                    .eventBus()
                    .<JsonObject>consumer(
                        Addresses.LEDGER_SEED_BALANCE,
                        Answering.always(
                            LOG,
                            message -> settle(message, (tx, mint, owner) -> store.mint(tx, mint))))
                    .completion());
  }

  @Override
  public Future<?> stop() {
    return Future.join(pool.close(), cache.close());
  }

  /**
   * A ledger write in the transaction it is given: the chain-head lock and every statement after
   * it.
   */
  @FunctionalInterface
  private interface Write {
    Future<LedgerStore.Settled> apply(SqlClient tx, ChainTransaction transaction, String owner);
  }

  /**
   * Replies once the write is committed and the cache no longer holds what it made stale (or Redis
   * is away). The message's {@code owner} is the customer whose accounts the caller may move money
   * out of (null: any); with an Idempotency-Key, a retry gets the first reply and moves nothing.
   */
  private void settle(Message<JsonObject> message, Write write) {
    String correlationId = message.headers().get(Headers.CORRELATION_ID);
    ChainTransaction transaction = LedgerJson.transactionFromJson(message.body());
    String owner = message.body().getString(LedgerJson.OWNER);
    IdempotencyStore.once(
            pool,
            IdempotencyJson.of(message.body()),
            tx -> write.apply(tx, transaction, owner).map(LedgerVerticle::stored))
        .compose(reply -> cache.invalidate(transaction).otherwiseEmpty().map(reply))
        .onSuccess(
            reply -> {
              LOG.debug(
                  "{} {}: {}",
                  transaction.kind(),
                  transaction.txId(),
                  reply.getJsonObject("block"));
              message.reply(reply);
            })
        .onFailure(
            e ->
                Answering.fail(
                    message, "ledger " + transaction.kind() + " " + transaction.txId(), e, LOG));
  }

  private static JsonObject stored(LedgerStore.Settled settled) {
    return Outcomes.status("stored")
        .put("transaction", LedgerJson.toJson(settled.transaction(), settled.block().index()))
        .put("block", LedgerJson.header(settled.block()))
        .put("sender_balance", amount(settled.senderBalance()))
        .put("receiver_balance", amount(settled.receiverBalance()));
  }

  private static String amount(BigDecimal amount) {
    return amount == null ? null : BlockHash.amount(amount);
  }
}
