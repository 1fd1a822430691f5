package ledger;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import support.Await;
import support.ServiceUnderTest;

/** Test helpers for the settlement ledger: its REST calls, fresh account ids and a Redis reader. */
final class Ledger {
  static final String BASE = "/api/v1/blockchain";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final ServiceUnderTest service;

  Ledger(ServiceUnderTest service) {
    this.service = service;
  }

  /** An account id no other test uses, so tests need no cleanup between them. */
  static String account(String base) {
    return base + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  }

  HttpResponse<Buffer> seed(String account, String amount) {
    return service.postJson(
        BASE + "/seed-balance", new JsonObject().put("account_id", account).put("amount", amount));
  }

  HttpResponse<Buffer> transfer(String sender, String receiver, String amount) {
    return Await.result(transferAsync(sender, receiver, amount));
  }

  Future<HttpResponse<Buffer>> transferAsync(String sender, String receiver, String amount) {
    return service.postJsonAsync(
        BASE + "/transfers",
        new JsonObject()
            .put("sender_account_id", sender)
            .put("receiver_account_id", receiver)
            .put("amount", amount));
  }

  HttpResponse<Buffer> balanceResponse(String account) {
    return Await.result(
        service.http.get(BASE + "/balances").addQueryParam("account_id", account).send());
  }

  /** The balance the API answers, as an exact decimal. */
  BigDecimal balance(String account) {
    HttpResponse<Buffer> response = balanceResponse(account);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "balance of " + account + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return new BigDecimal(response.bodyAsJsonObject().getString("balance"));
  }

  /** The balance stored in PostgreSQL, bypassing the API and its cache. */
  BigDecimal storedBalance(String account) {
    return service
        .sql(
            "SELECT amount FROM ledger_balances WHERE account_id = $1 AND currency = 'SIM_COIN'",
            account)
        .iterator()
        .next()
        .getBigDecimal("amount");
  }

  JsonObject verify() {
    HttpResponse<Buffer> response = service.get(BASE + "/blocks/verify");
    if (response.statusCode() != 200) {
      throw new AssertionError("verify: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  long headIndex() {
    return service.sql("SELECT block_index FROM ledger_head").iterator().next().getLong(0);
  }

  static RedisAPI redis(ServiceUnderTest service) {
    return RedisAPI.api(
        Redis.createClient(
            service.vertx, service.config.getString(ConfigKeys.REDIS_CONNECTION_STRING)));
  }
}
