package http;

import cache.CacheSlot;
import cache.LedgerCache;
import cache.RedisCache;
import codec.IdempotencyJson;
import codec.LedgerJson;
import codec.Outcomes;
import contract.Addresses;
import domain.BlockHash;
import domain.ChainTransaction;
import domain.HeadSignatures;
import domain.IdempotencyKey;
import domain.LedgerRequests;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import security.AccessControl;
import settings.ApiSettings;
import settings.LedgerSettings;
import store.LedgerStore;

/**
 * The settlement ledger under /api/v1/blockchain. Writes (transfers, seed balances) go over the bus
 * to the ledger role, which drops the cache entries they make stale before it answers; reads come
 * from Redis ({@code blockchain:*}, X-Cache HIT or MISS) or else PostgreSQL, and a miss is cached
 * for the TTL. The chain verification is never cached: it is the check that the stored rows are
 * what was written.
 */
public final class LedgerRoutes implements RouteModule {
  private static final String BASE = "/api/v1/blockchain";
  private static final int DEFAULT_PAGE_SIZE = 20;
  private static final int MAX_PAGE_SIZE = 100;

  private final Vertx vertx;
  private final LedgerStore store;
  private final HeadSignatures keys;
  private final LedgerCache cache;
  private final long timeoutMs;
  private final long maxOffset;

  /** The last verification that found the chain intact, on this instance's event loop. */
  private LedgerStore.Verification lastIntact;

  public LedgerRoutes(Vertx vertx, Pool pool, RedisCache redis, ApiSettings settings) {
    this.vertx = vertx;
    this.keys = LedgerSettings.verifyingKeys(settings.ledgerPublicKey());
    this.store = new LedgerStore(pool, keys);
    this.cache = new LedgerCache(redis, settings.caches().ledgerTtlSeconds());
    this.timeoutMs = settings.requestTimeoutMs();
    this.maxOffset = settings.maxOffset();
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get(BASE + "/blocks").handler(this::listBlocks);
    router.get(BASE + "/blocks/verify").handler(this::verify);
    router.get(BASE + "/blocks/:index").handler(this::block);
    router.get(BASE + "/transactions/:txId").handler(this::transaction);
    router.get(BASE + "/balances").handler(this::balance);
    Json.post(
        router,
        BASE + "/transfers",
        body,
        ctx -> write(ctx, Addresses.LEDGER_TRANSFER, LedgerRequests::transfer));
    Json.post(
        router,
        BASE + "/seed-balance",
        body,
        ctx -> write(ctx, Addresses.LEDGER_SEED_BALANCE, LedgerRequests::seed));
  }

  /**
   * 201 with the transaction, its block and the balances after it, once the ledger role has
   * committed it; only out of the caller's own accounts, unless it is staff.
   */
  private void write(
      RoutingContext ctx, String address, Function<Map<String, Object>, ChainTransaction> parse) {
    IdempotencyKey key = IdempotencyKeys.of(ctx);
    ChainTransaction transaction = parse.apply(Json.bodyObject(ctx).getMap());
    JsonObject message =
        IdempotencyJson.with(
            LedgerJson.toJson(transaction, null)
                .put(LedgerJson.OWNER, AccessControl.callerOf(ctx).writeOwner()),
            key);
    vertx
        .eventBus()
        .<JsonObject>request(address, message, CorrelationIds.delivery(ctx, timeoutMs))
        .compose(reply -> refusedOrStored(reply.body()))
        .onSuccess(
            stored -> {
              // from the reply: a retried key answers the transaction it made first
              Locations.put(
                  ctx,
                  BASE + "/transactions",
                  stored.getJsonObject("transaction").getString("tx_id"));
              Json.respond(ctx, 201, IdempotencyKeys.answered(ctx, stored));
            })
        .onFailure(ctx::fail);
  }

  private static Future<JsonObject> refusedOrStored(JsonObject reply) {
    Violation refusal = Outcomes.refusal(reply);
    if (refusal == null) {
      JsonObject stored = reply.copy();
      stored.remove("status");
      return Future.succeededFuture(stored);
    }
    return Future.failedFuture(ApiException.refused(refusal));
  }

  private void listBlocks(RoutingContext ctx) {
    Paging paging = Paging.from(ctx, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, maxOffset);
    Long before = paging.byCursor() ? blockIndex(paging.after(), "cursor") : null;
    String query =
        (before == null ? "page=" + paging.page() : "before=" + before) + "&size=" + paging.size();
    serveCached(
        ctx,
        cache.blockPage(query),
        () ->
            (before == null
                    ? store.newestBlocks(paging.size(), paging.offset())
                    : store.blocksBefore(before, paging.size()))
                .map(
                    page ->
                        paging.body(
                            page,
                            LedgerJson::header,
                            block -> Long.toString(block.index()),
                            BASE + "/blocks",
                            "")));
  }

  private void block(RoutingContext ctx) {
    long index = blockIndex(ctx.pathParam("index"), "index");
    serveCached(
        ctx,
        cache.block(index),
        () ->
            store
                .block(index)
                .map(
                    found ->
                        LedgerJson.withTransactions(
                            found.orElseThrow(
                                () ->
                                    ApiException.notFound(
                                        "index", "no block " + index + " in the chain")))));
  }

  /**
   * A customer reads the transactions into or out of its accounts; another's is answered as one
   * that does not exist.
   */
  private void transaction(RoutingContext ctx) {
    UUID txId = txId(ctx.pathParam("txId"));
    ApiException missing = ApiException.notFound("tx_id", "no transaction " + txId);
    String owner = AccessControl.callerOf(ctx).readOwner();
    reachable(
        ctx,
        owner == null ? null : store.ownsTransaction(owner, txId),
        missing,
        () ->
            serveCached(
                ctx,
                cache.transaction(txId),
                () ->
                    store
                        .transaction(txId)
                        .map(
                            found ->
                                found
                                    .map(
                                        located ->
                                            LedgerJson.toJson(
                                                located.transaction(), located.blockIndex()))
                                    .orElseThrow(() -> missing))));
  }

  /**
   * A customer reads the balances of its accounts; another's is answered as an account without a
   * balance.
   */
  private void balance(RoutingContext ctx) {
    String accountId = LedgerRequests.accountId(ctx.request().getParam("account_id"), "account_id");
    String currency = LedgerRequests.currency(ctx.request().getParam("currency"));
    ApiException missing =
        ApiException.notFound(
            "account_id", "account " + accountId + " has no " + currency + " balance");
    String owner = AccessControl.callerOf(ctx).readOwner();
    reachable(
        ctx,
        owner == null ? null : store.ownsAccount(owner, accountId),
        missing,
        () ->
            serveCached(
                ctx,
                cache.balance(accountId, currency),
                () ->
                    store
                        .balance(accountId, currency)
                        .map(
                            found ->
                                found
                                    .map(
                                        amount ->
                                            new JsonObject()
                                                .put("account_id", accountId)
                                                .put("currency", currency)
                                                .put("balance", BlockHash.amount(amount)))
                                    .orElseThrow(() -> missing))));
  }

  /**
   * Serves when the caller may reach the object ({@code owned} null: staff, who reach every one);
   * checked before the cache, which holds one answer per object whoever asked.
   */
  private static void reachable(
      RoutingContext ctx, Future<Boolean> owned, ApiException missing, Runnable serve) {
    if (owned == null) {
      serve.run();
      return;
    }
    owned
        .onSuccess(
            yes -> {
              if (yes) {
                serve.run();
              } else {
                ctx.fail(missing);
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * 200 either way: {@code intact} says whether the chain holds, hashes and signatures, {@code
   * broken_link} names where it first fails (a forged block: its {@code field} is {@code
   * signature}), {@code public_key} what the signatures were checked with.
   */
  private void verify(RoutingContext ctx) {
    verification()
        .onSuccess(
            result ->
                Json.respond(
                    ctx,
                    200,
                    new JsonObject()
                        .put("intact", result.brokenLink().isEmpty())
                        .put("blocks_checked", result.blocksChecked())
                        .put(
                            "head",
                            new JsonObject()
                                .put("index", result.head().index())
                                .put("hash", result.head().hash()))
                        .put("public_key", keys.publicKey())
                        .put(
                            "broken_link",
                            result.brokenLink().map(LedgerJson::toJson).orElse(null))))
        .onFailure(ctx::fail);
  }

  /**
   * The chain walked to its head; an intact answer is reused while the head has not moved, so
   * asking again costs one query until the next block. A broken chain is walked anew on every
   * request: whoever asks is repairing it.
   */
  private Future<LedgerStore.Verification> verification() {
    return store
        .head()
        .compose(
            head ->
                lastIntact != null && lastIntact.head().equals(head)
                    ? Future.succeededFuture(lastIntact)
                    : store
                        .verify(head)
                        .onSuccess(
                            walked -> lastIntact = walked.brokenLink().isEmpty() ? walked : null));
  }

  /**
   * Answers what the cache holds; else loads it, caches it and answers (a failed load, a 404
   * included, is not cached). A miss is answered once its entry is stored, so a client's next read
   * or write comes after it; when Redis did not answer the read, the write is skipped rather than
   * waited for in vain.
   */
  private static void serveCached(
      RoutingContext ctx, CacheSlot slot, Supplier<Future<JsonObject>> load) {
    slot.read()
        .onComplete(
            cached -> {
              if (cached.succeeded() && cached.result() != null) {
                respond(ctx, "HIT", cached.result());
                return;
              }
              load.get()
                  .map(JsonObject::encode)
                  .compose(
                      json ->
                          (cached.succeeded()
                                  ? slot.write(json).otherwiseEmpty()
                                  : Future.<Void>succeededFuture())
                              .map(json))
                  .onSuccess(json -> respond(ctx, "MISS", json))
                  .onFailure(ctx::fail);
            });
  }

  private static void respond(RoutingContext ctx, String cacheOutcome, String json) {
    ctx.response()
        .putHeader("X-Cache", cacheOutcome)
        .putHeader("content-type", "application/json")
        .setStatusCode(200)
        .end(json);
  }

  private static long blockIndex(String text, String field) {
    try {
      long index = Long.parseLong(text);
      if (index >= 0) {
        return index;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiException.badParameter(field, field + " must be a block index, a whole number from 0");
  }

  private static UUID txId(String text) {
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equals(text.toLowerCase(Locale.ROOT))) {
        return id;
      }
    } catch (IllegalArgumentException ignored) {
      // answered below
    }
    throw ApiException.badParameter(
        "tx_id", "tx_id must be a UUID such as 3f2b8c1e-1d2a-4c59-9a3e-0b6f1c2d4e5f");
  }
}
