package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;

/**
 * The settlement ledger's endpoints: transfers and seeds, reads, refusals, and the Redis cache of
 * the reads.
 */
@Tag("integration")
class LedgerApiTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "api,ledger")
              .put(ConfigKeys.LEDGER_CACHE_TTL_SECONDS, 120));

  private static Ledger ledger;
  private static RedisAPI redis;

  @BeforeAll
  static void deploy() {
    ledger = new Ledger(service);
    redis = Ledger.redis(service);
  }

  @Test
  void aTransferMovesTheAmountInABlockLinkedToThePreviousOne() {
    String alice = Ledger.account("alice");
    String bob = Ledger.account("bob");
    HttpResponse<Buffer> seeded = ledger.seed(alice, "100.25");
    assertEquals(201, seeded.statusCode(), seeded::bodyAsString);
    JsonObject seedBlock = seeded.bodyAsJsonObject().getJsonObject("block");
    assertEquals("MINT", seeded.bodyAsJsonObject().getJsonObject("transaction").getString("kind"));
    assertEquals("100.25", seeded.bodyAsJsonObject().getString("receiver_balance"));

    HttpResponse<Buffer> moved = ledger.transfer(alice, bob, "30.05");
    assertEquals(201, moved.statusCode(), moved::bodyAsString);
    JsonObject body = moved.bodyAsJsonObject();
    JsonObject tx = body.getJsonObject("transaction");
    assertEquals("TRANSFER", tx.getString("kind"));
    assertEquals("30.05", tx.getString("amount"));
    assertEquals("SIM_COIN", tx.getString("currency"));
    assertEquals("70.2", body.getString("sender_balance"));
    assertEquals("30.05", body.getString("receiver_balance"));
    assertEquals(
        Ledger.BASE + "/transactions/" + tx.getString("tx_id"), moved.getHeader("Location"));
    JsonObject block = body.getJsonObject("block");
    assertEquals(
        seedBlock.getLong("index") + 1,
        block.getLong("index"),
        "nothing else writes the chain meanwhile");
    assertEquals(seedBlock.getString("hash"), block.getString("previous_hash"));

    assertAmount("70.2", ledger.storedBalance(alice));
    assertAmount("30.05", ledger.storedBalance(bob));
    Row stored =
        service
            .sql(
                "SELECT block_index, sender_account_id, amount FROM ledger_transactions WHERE tx_id"
                    + " = $1",
                UUID.fromString(tx.getString("tx_id")))
            .iterator()
            .next();
    assertEquals(block.getLong("index"), stored.getLong("block_index"));
    assertEquals(alice, stored.getString("sender_account_id"));

    HttpResponse<Buffer> read = service.get(Ledger.BASE + "/transactions/" + tx.getString("tx_id"));
    assertEquals(200, read.statusCode());
    assertEquals(tx.copy().put("block_index", block.getLong("index")), read.bodyAsJsonObject());
    JsonObject withTransactions =
        service.get(Ledger.BASE + "/blocks/" + block.getLong("index")).bodyAsJsonObject();
    assertEquals(block.getString("hash"), withTransactions.getString("hash"));
    assertEquals(
        new JsonArray().add(read.bodyAsJsonObject()),
        withTransactions.getJsonArray("transactions"));
  }

  @Test
  void insufficientFundsIs422AndWritesNothing() {
    String poor = Ledger.account("poor");
    String rich = Ledger.account("rich");
    assertEquals(201, ledger.seed(poor, "10").statusCode());
    long head = ledger.headIndex();

    HttpResponse<Buffer> refused = ledger.transfer(poor, rich, "10.0000000001");
    assertEquals(422, refused.statusCode(), refused::bodyAsString);
    assertEquals("INSUFFICIENT_FUNDS", refused.bodyAsJsonObject().getString("error"));
    assertEquals("amount", refused.bodyAsJsonObject().getString("field"));
    assertEquals(
        "insufficient funds: the balance of account "
            + poor
            + " does not cover 10.0000000001 SIM_COIN",
        refused.bodyAsJsonObject().getString("message"),
        "the refusal discloses no balance");
    assertEquals(head, ledger.headIndex(), "no block appended");
    assertEquals(
        0,
        service
            .sql("SELECT count(*) FROM ledger_transactions WHERE sender_account_id = $1", poor)
            .iterator()
            .next()
            .getLong(0));
    assertAmount("10", ledger.balance(poor));

    assertEquals(201, ledger.transfer(poor, rich, "10").statusCode(), "the whole balance may go");
    assertEquals(0, ledger.storedBalance(poor).signum());
  }

  @Test
  void unknownSenderIs404AndAReceiverWalletOpensOnItsFirstCredit() {
    String nobody = Ledger.account("nobody");
    String fresh = Ledger.account("fresh");
    assertError(ledger.transfer(nobody, fresh, "1"), 404, "NOT_FOUND", "sender_account_id");
    assertError(ledger.balanceResponse(fresh), 404, "NOT_FOUND", "account_id");
    String payer = Ledger.account("payer");
    ledger.seed(payer, "5");
    assertEquals(201, ledger.transfer(payer, fresh, "2").statusCode());
    assertAmount("2", ledger.balance(fresh));
  }

  @Test
  void badInputIs4xxNamingTheField() {
    String a = Ledger.account("a");
    JsonObject transfer =
        new JsonObject()
            .put("sender_account_id", a)
            .put("receiver_account_id", "b")
            .put("amount", "1");
    assertError(
        post("/transfers", transfer.copy().put("amount", "-5")), 400, "INVALID_FIELD", "amount");
    assertError(
        post("/transfers", transfer.copy().put("amount", 0)), 400, "INVALID_FIELD", "amount");
    assertError(
        post("/transfers", transfer.copy().put("amount", "lots")), 400, "INVALID_FIELD", "amount");
    assertError(
        post("/transfers", transfer.copy().put("amount", new JsonArray())),
        400,
        "INVALID_FIELD",
        "amount");
    assertError(
        post("/transfers", transfer.copy().put("sender_account_id", 12)),
        400,
        "INVALID_FIELD",
        "sender_account_id");
    assertError(
        post("/transfers", transfer.copy().put("receiver_account_id", a)),
        400,
        "INVALID_FIELD",
        "receiver_account_id");
    assertError(
        post("/transfers", transfer.copy().put("currency", "sim")),
        400,
        "INVALID_FIELD",
        "currency");
    assertError(post("/transfers", transfer.copy().put("fee", "1")), 400, "INVALID_FIELD", "fee");
    assertError(
        post("/transfers", transfer.copy().put("amount", (Object) null)),
        400,
        "MISSING_FIELD",
        "amount");
    assertError(
        post("/seed-balance", new JsonObject().put("account_id", a).put("amount", "1e30")),
        400,
        "INVALID_FIELD",
        "amount");
    HttpResponse<Buffer> malformed =
        service.postRaw(
            Ledger.BASE + "/transfers", "application/json", Buffer.buffer("{\"amount\":"));
    assertEquals(400, malformed.statusCode());
    assertEquals("MALFORMED_JSON", malformed.bodyAsJsonObject().getString("error"));
    assertError(service.get(Ledger.BASE + "/blocks/abc"), 400, "INVALID_PARAMETER", "index");
    assertError(service.get(Ledger.BASE + "/blocks/-1"), 400, "INVALID_PARAMETER", "index");
    assertError(service.get(Ledger.BASE + "/blocks/999999999999"), 404, "NOT_FOUND", "index");
    assertError(
        service.get(Ledger.BASE + "/transactions/not-a-uuid"), 400, "INVALID_PARAMETER", "tx_id");
    assertError(
        service.get(Ledger.BASE + "/transactions/" + UUID.randomUUID()), 404, "NOT_FOUND", "tx_id");
    assertError(service.get(Ledger.BASE + "/balances"), 400, "INVALID_PARAMETER", "account_id");
    assertError(
        service.get(Ledger.BASE + "/balances?account_id=x&currency=x"),
        400,
        "INVALID_FIELD",
        "currency");
    assertError(service.get(Ledger.BASE + "/blocks?size=0"), 400, "INVALID_PARAMETER", "size");
    assertError(
        service.get(Ledger.BASE + "/blocks?cursor=bogus"), 400, "INVALID_PARAMETER", "cursor");
  }

  /**
   * Every field of both write bodies, and the read parameters, given hostile values: never a 5xx.
   */
  @Test
  void hostileInputNeverGets5xx() {
    List<Object> values =
        Arrays.asList(
            null,
            true,
            1,
            -1,
            1.5,
            "",
            " ",
            "x",
            "NaN",
            "Infinity",
            "1e400",
            "-0",
            "0.00000000001",
            "9".repeat(200),
            "a".repeat(65),
            "ü",
            "a\u0000b",
            "a|b",
            new JsonArray().add(1),
            new JsonObject().put("x", 1));
    JsonObject transfer =
        new JsonObject()
            .put("sender_account_id", Ledger.account("hostile"))
            .put("receiver_account_id", "b")
            .put("amount", "1")
            .put("currency", "SIM_COIN");
    JsonObject seed =
        new JsonObject().put("account_id", Ledger.account("hostile")).put("amount", "1");
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (Object value : values) {
      transfer
          .fieldNames()
          .forEach(field -> answers.add(post("/transfers", transfer.copy().put(field, value))));
      seed.fieldNames()
          .forEach(field -> answers.add(post("/seed-balance", seed.copy().put(field, value))));
    }
    for (String raw : List.of("", "[]", "null", "{\"amount\": 1e400}", "{\"amount\": 1", "{}")) {
      answers.add(
          service.postRaw(Ledger.BASE + "/transfers", "application/json", Buffer.buffer(raw)));
    }
    for (String path :
        List.of(
            "/blocks/99999999999999999999",
            "/blocks/1.5",
            "/blocks?page=0",
            "/blocks?size=101",
            "/transactions/%00",
            "/balances?account_id=%00",
            "/balances?account_id=" + "a".repeat(65))) {
      answers.add(service.get(Ledger.BASE + path));
    }
    answers.forEach(
        answer -> {
          assertTrue(answer.statusCode() < 500, answer::bodyAsString);
          if (answer.statusCode() >= 400) {
            assertNotNull(answer.bodyAsJsonObject().getString("error"), answer::bodyAsString);
          }
        });
    assertTrue(
        answers.stream().filter(answer -> answer.statusCode() >= 400).count() > answers.size() - 10,
        "only the few valid seeds (amount 1 or 1.5, account x) succeed");
  }

  @Test
  void blocksAreListedNewestFirstAndPagedByCursor() {
    String account = Ledger.account("lister");
    ledger.seed(account, "1");
    ledger.seed(account, "2");
    long head = ledger.headIndex();
    JsonObject first = service.get(Ledger.BASE + "/blocks?size=2").bodyAsJsonObject();
    assertEquals(head + 1, first.getLong("total"));
    JsonArray items = first.getJsonArray("items");
    assertEquals(head, items.getJsonObject(0).getLong("index"));
    assertEquals(head - 1, items.getJsonObject(1).getLong("index"));
    assertEquals(
        items.getJsonObject(1).getString("hash"),
        items.getJsonObject(0).getString("previous_hash"));
    assertEquals(1, items.getJsonObject(0).getInteger("transaction_count"));
    JsonObject second = service.get(first.getString("next")).bodyAsJsonObject();
    assertEquals(head - 2, second.getJsonArray("items").getJsonObject(0).getLong("index"));
    JsonObject byPage = service.get(Ledger.BASE + "/blocks?page=2&size=2").bodyAsJsonObject();
    assertEquals(second.getJsonArray("items"), byPage.getJsonArray("items"));

    HttpResponse<Buffer> genesis = service.get(Ledger.BASE + "/blocks/0");
    assertEquals("0".repeat(64), genesis.bodyAsJsonObject().getString("previous_hash"));
    assertEquals(new JsonArray(), genesis.bodyAsJsonObject().getJsonArray("transactions"));
  }

  @Test
  void aBalanceReadIsServedFromRedisAndATransferDropsIt() {
    String payer = Ledger.account("cached-payer");
    String payee = Ledger.account("cached-payee");
    ledger.seed(payer, "50");
    String key = "blockchain:balance:SIM_COIN:" + payer;

    HttpResponse<Buffer> miss = ledger.balanceResponse(payer);
    assertEquals("MISS", miss.getHeader("X-Cache"));
    assertEquals(
        miss.bodyAsString(),
        Await.result(redis.get(key)).toString(),
        "cached before the miss is answered");
    long ttl = Await.result(redis.ttl(key)).toLong();
    assertTrue(ttl > 0 && ttl <= 120, () -> "ttl " + ttl);
    // The cache, not PostgreSQL, answers: a value planted in Redis comes back as is
    String planted =
        new JsonObject()
            .put("account_id", payer)
            .put("currency", "SIM_COIN")
            .put("balance", "7")
            .encode();
    Await.result(redis.setex(key, "60", planted));
    HttpResponse<Buffer> hit = ledger.balanceResponse(payer);
    assertEquals("HIT", hit.getHeader("X-Cache"));
    assertEquals(planted, hit.bodyAsString());

    assertEquals(201, ledger.transfer(payer, payee, "20").statusCode());
    assertNull(Await.result(redis.get(key)), "the transfer dropped the sender's cached balance");
    HttpResponse<Buffer> fresh = ledger.balanceResponse(payer);
    assertEquals("MISS", fresh.getHeader("X-Cache"));
    assertEquals("30", fresh.bodyAsJsonObject().getString("balance"));
  }

  @Test
  void blockListingBlocksAndTransactionsAreCachedAndAWriteDropsTheListing() {
    String account = Ledger.account("listing");
    JsonObject seeded = ledger.seed(account, "3").bodyAsJsonObject();
    long index = seeded.getJsonObject("block").getLong("index");
    String txId = seeded.getJsonObject("transaction").getString("tx_id");

    HttpResponse<Buffer> listed = service.get(Ledger.BASE + "/blocks?size=5");
    assertEquals("MISS", listed.getHeader("X-Cache"));
    assertEquals(
        listed.bodyAsString(),
        Await.result(redis.hget("blockchain:blocks", "page=1&size=5")).toString());
    long ttl = Await.result(redis.ttl("blockchain:blocks")).toLong();
    assertTrue(ttl > 0 && ttl <= 120, () -> "ttl " + ttl);
    assertEquals("HIT", service.get(Ledger.BASE + "/blocks?size=5").getHeader("X-Cache"));
    assertEquals("MISS", service.get(Ledger.BASE + "/blocks/" + index).getHeader("X-Cache"));
    assertNotNull(Await.result(redis.get("blockchain:block:" + index)));
    assertEquals("HIT", service.get(Ledger.BASE + "/blocks/" + index).getHeader("X-Cache"));
    assertEquals("MISS", service.get(Ledger.BASE + "/transactions/" + txId).getHeader("X-Cache"));
    assertNotNull(Await.result(redis.get("blockchain:tx:" + txId)));
    assertEquals("HIT", service.get(Ledger.BASE + "/transactions/" + txId).getHeader("X-Cache"));

    ledger.seed(account, "4");
    assertEquals(0, Await.result(redis.exists(java.util.List.of("blockchain:blocks"))).toInteger());
    HttpResponse<Buffer> relisted = service.get(Ledger.BASE + "/blocks?size=5");
    assertEquals("MISS", relisted.getHeader("X-Cache"));
    assertEquals(
        index + 1,
        relisted.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getLong("index"));
  }

  private static void assertAmount(String expected, BigDecimal actual) {
    assertEquals(
        0,
        new BigDecimal(expected).compareTo(actual),
        () -> "expected " + expected + ", got " + actual);
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body) {
    return service.postJson(Ledger.BASE + path, body);
  }

  private static void assertError(
      HttpResponse<Buffer> response, int status, String error, String field) {
    assertEquals(status, response.statusCode(), response::bodyAsString);
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(error, body.getString("error"), response::bodyAsString);
    assertEquals(field, body.getString("field"), response::bodyAsString);
    assertNotNull(body.getString("message"));
  }
}
