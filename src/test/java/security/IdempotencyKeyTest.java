package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import contract.ConfigKeys;
import domain.IdempotencyKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * {@code Idempotency-Key} on the POSTs that move or create something: the same key with the same
 * request answers the first reply again (marked {@code Idempotent-Replayed: true}) and moves or
 * creates nothing more; the same key with another request is a 422 naming the header; keys are per
 * subject; a malformed key is a 400.
 */
@Tag("integration")
class IdempotencyKeyTest {
  private static final String TRANSFERS = "/api/v1/blockchain/transfers";

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api,ledger,finpulse"));

  private static HttpResponse<Buffer> post(
      String path, String key, JsonObject body, String subject) {
    return Await.result(
        service
            .anonymous
            .post(path)
            .putHeader("Authorization", service.token(subject, TestInfra.OPERATOR_SCOPES))
            .putHeader(IdempotencyKey.HEADER, key)
            .sendJsonObject(body));
  }

  private static String seededAccount() {
    String account = "IDEM-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        201,
        service
            .postJson(
                "/api/v1/blockchain/seed-balance",
                new JsonObject().put("account_id", account).put("amount", "100"))
            .statusCode());
    return account;
  }

  private static BigDecimal balance(String account) {
    return new BigDecimal(
        service
            .get("/api/v1/blockchain/balances?account_id=" + account)
            .bodyAsJsonObject()
            .getString("balance"));
  }

  @Test
  void aRetriedTransferAnswersTheFirstReplyAndMovesNothingMore() {
    String sender = seededAccount();
    String key = UUID.randomUUID().toString();
    JsonObject transfer =
        new JsonObject()
            .put("sender_account_id", sender)
            .put("receiver_account_id", "IDEM-R")
            .put("amount", "10");
    HttpResponse<Buffer> first = post(TRANSFERS, key, transfer, "client-a");
    assertEquals(201, first.statusCode(), first::bodyAsString);
    assertNull(first.getHeader("Idempotent-Replayed"));
    HttpResponse<Buffer> again = post(TRANSFERS, key, transfer, "client-a");
    assertEquals(201, again.statusCode(), again::bodyAsString);
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
    assertEquals(first.getHeader("Location"), again.getHeader("Location"));
    assertEquals(0, new BigDecimal("90").compareTo(balance(sender)), "moved once");
  }

  @Test
  void theSameKeyWithAnotherRequestIs422AndKeysArePerSubject() {
    String sender = seededAccount();
    String key = UUID.randomUUID().toString();
    JsonObject transfer =
        new JsonObject()
            .put("sender_account_id", sender)
            .put("receiver_account_id", "IDEM-R")
            .put("amount", "10");
    assertEquals(201, post(TRANSFERS, key, transfer, "client-a").statusCode());
    HttpResponse<Buffer> reused =
        post(TRANSFERS, key, transfer.copy().put("amount", "11"), "client-a");
    assertEquals(422, reused.statusCode(), reused::bodyAsString);
    assertEquals("IDEMPOTENCY_KEY_REUSED", reused.bodyAsJsonObject().getString("error"));
    assertEquals(IdempotencyKey.HEADER, reused.bodyAsJsonObject().getString("field"));
    HttpResponse<Buffer> otherClient = post(TRANSFERS, key, transfer, "client-b");
    assertEquals(201, otherClient.statusCode(), otherClient::bodyAsString);
    assertNull(otherClient.getHeader("Idempotent-Replayed"), "another subject's key is its own");
    assertEquals(0, new BigDecimal("80").compareTo(balance(sender)));
  }

  @Test
  void aRetriedCreateAnswersTheSameEntityAndStoresOneRow() {
    String name = "idem-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();
    JsonObject customer = new JsonObject().put("name", name);
    HttpResponse<Buffer> first = post("/api/v1/customers", key, customer, "client-a");
    assertEquals(201, first.statusCode(), first::bodyAsString);
    HttpResponse<Buffer> again = post("/api/v1/customers", key, customer, "client-a");
    assertEquals(201, again.statusCode(), again::bodyAsString);
    assertEquals("true", again.getHeader("Idempotent-Replayed"));
    assertEquals(
        first.bodyAsJsonObject().getString("customer_id"),
        again.bodyAsJsonObject().getString("customer_id"));
    assertEquals(
        1L,
        service
            .sql("SELECT count(*) FROM customers WHERE name = $1", name)
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  void aMalformedKeyIs400NamingTheHeaderAndARefusedWriteKeepsNoKey() {
    HttpResponse<Buffer> tooLong = post(TRANSFERS, "k".repeat(256), new JsonObject(), "client-a");
    assertEquals(400, tooLong.statusCode(), tooLong::bodyAsString);
    assertEquals(IdempotencyKey.HEADER, tooLong.bodyAsJsonObject().getString("field"));

    String poor = seededAccount();
    String key = UUID.randomUUID().toString();
    JsonObject tooMuch =
        new JsonObject()
            .put("sender_account_id", poor)
            .put("receiver_account_id", "IDEM-R")
            .put("amount", "1000");
    assertEquals(422, post(TRANSFERS, key, tooMuch, "client-a").statusCode());
    assertEquals(
        0L,
        service
            .sql("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", key)
            .iterator()
            .next()
            .getLong(0),
        "a refusal keeps no key: the retry is decided anew");
  }
}
