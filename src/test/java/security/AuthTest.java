package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * JWT bearer auth with scopes, through the running service: writes need their scope, admin actions
 * need {@code admin}, reads need any valid token outside dev mode, and every refusal is a JSON body
 * naming the header.
 */
@Tag("integration")
class AuthTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.AUTH_JWT_ISSUER, "desk-idp"));

  static String token(ServiceUnderTest service, String scopes) {
    return service.token("tester", scopes);
  }

  private static JsonObject trade() {
    return Trades.json("AUTH-" + UUID.randomUUID(), 1, "B1", TestClock.today().plusYears(1));
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body, String authorization) {
    HttpRequest<Buffer> request = service.anonymous.post(path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return Await.result(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static void assertRefused(HttpResponse<Buffer> response, int status, String code) {
    assertEquals(status, response.statusCode(), response::bodyAsString);
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(code, body.getString("error"), response::bodyAsString);
    assertEquals("Authorization", body.getString("field"));
    assertNotNull(body.getString("message"));
  }

  @Test
  void aWriteWithoutATokenIs401() {
    assertRefused(post("/api/v1/trades", trade(), null), 401, "UNAUTHORIZED");
    assertRefused(post("/records", new JsonObject(), null), 401, "UNAUTHORIZED");
  }

  @Test
  void aTokenNotSignedByTheServiceIs401() {
    JsonObject other =
        service
            .config
            .copy()
            .put(ConfigKeys.AUTH_JWT_SECRET, "another-secret-another-secret-another!!");
    String forged = "Bearer " + Tokens.sign(service.vertx, other, "mallory", Tokens.ALL_SCOPES, 5);
    assertRefused(post("/api/v1/trades", trade(), forged), 401, "UNAUTHORIZED");
  }

  @Test
  void aTokenFromAnotherIssuerIs401() {
    JsonObject other = service.config.copy().put(ConfigKeys.AUTH_JWT_ISSUER, "someone-else");
    String foreign = "Bearer " + Tokens.sign(service.vertx, other, "mallory", Tokens.ALL_SCOPES, 5);
    assertRefused(post("/api/v1/trades", trade(), foreign), 401, "UNAUTHORIZED");
  }

  @Test
  void theWrongScopeIs403AndTheRightOneSucceeds() {
    JsonObject trade = trade();
    assertRefused(post("/api/v1/trades", trade, token(service, "records:write")), 403, "FORBIDDEN");
    assertEquals(
        0L,
        service
            .sql("SELECT count(*) FROM trades WHERE trade_id = $1", trade.getString("trade_id"))
            .iterator()
            .next()
            .getLong(0),
        "a refused write stores nothing");
    assertEquals(201, post("/api/v1/trades", trade, token(service, "trades:write")).statusCode());
  }

  @Test
  void recordsNeedTheirOwnScope() {
    JsonObject record =
        new JsonObject()
            .put("recordId", "AUTH-" + UUID.randomUUID())
            .put("time", "2026-01-01T00:00:00Z")
            .put("sourceId", "source-a")
            .put("destinationId", "D-AUTH")
            .put("type", "positive")
            .put("value", 1.5)
            .put("unit", "SEK")
            .put("reference", "auth-test");
    assertRefused(post("/records", record, token(service, "trades:write")), 403, "FORBIDDEN");
    assertEquals(202, post("/records", record, token(service, "records:write")).statusCode());
  }

  @Test
  void adminActionsNeedAdmin() {
    JsonObject trade = trade();
    String id = trade.getString("trade_id");
    assertEquals(201, post("/api/v1/trades", trade, token(service, "trades:write")).statusCode());
    String writer = token(service, "trades:write records:write");
    assertRefused(
        Await.result(
            service
                .anonymous
                .delete("/api/v1/trades/" + id)
                .putHeader("Authorization", writer)
                .send()),
        403,
        "FORBIDDEN");
    assertRefused(post("/api/v1/expire-trades", null, writer), 403, "FORBIDDEN");
    assertRefused(
        post("/api/v1/seed", new JsonObject().put("portfolio_id", "p"), writer), 403, "FORBIDDEN");
    assertRefused(post("/api/v1/admin/statistics/repair", null, writer), 403, "FORBIDDEN");
    assertRefused(
        post("/api/v1/blockchain/seed-balance", new JsonObject(), token(service, "ledger:write")),
        403,
        "FORBIDDEN");
    assertRefused(post("/api/v1/blockchain/transfers", new JsonObject(), writer), 403, "FORBIDDEN");
    assertRefused(
        post("/api/v1/customers", new JsonObject().put("name", "x"), writer), 403, "FORBIDDEN");

    String admin = token(service, "admin");
    assertEquals(
        204,
        Await.result(
                service
                    .anonymous
                    .delete("/api/v1/trades/" + id)
                    .putHeader("Authorization", admin)
                    .send())
            .statusCode());
    assertEquals(200, post("/api/v1/expire-trades", null, admin).statusCode());
  }

  /**
   * A token that names no customer and holds no staff scope is a customer of nothing: it lists and
   * reaches none.
   */
  @Test
  void aTokenOfNoCustomerAndNoStaffScopeReachesNoCustomersObjects() {
    String customer =
        service
            .postJson(
                "/api/v1/customers", new JsonObject().put("name", "nobody's " + UUID.randomUUID()))
            .bodyAsJsonObject()
            .getString("customer_id");
    String writer = token(service, "finpulse:write ledger:write");
    HttpResponse<Buffer> listed =
        Await.result(
            service.anonymous.get("/api/v1/customers").putHeader("Authorization", writer).send());
    assertEquals(200, listed.statusCode(), listed::bodyAsString);
    assertEquals(0, listed.bodyAsJsonObject().getJsonArray("items").size(), listed::bodyAsString);
    assertEquals(
        404,
        Await.result(
                service
                    .anonymous
                    .get("/api/v1/customers/" + customer)
                    .putHeader("Authorization", writer)
                    .send())
            .statusCode());
    assertRefusedAs422(
        post(
            "/api/v1/accounts",
            new JsonObject()
                .put("customer_id", customer)
                .put("account_type", "cash")
                .put("currency", "EUR"),
            writer));
  }

  private static void assertRefusedAs422(HttpResponse<Buffer> response) {
    assertEquals(422, response.statusCode(), response::bodyAsString);
    assertEquals("REFERENCE_NOT_FOUND", response.bodyAsJsonObject().getString("error"));
  }

  /**
   * Outside dev mode (the tests' setup: their servers are configured, not embedded), reads need a
   * token too.
   */
  @Test
  void readsNeedAnyValidTokenOutsideDevModeAndProbesStayOpen() {
    for (String path :
        java.util.List.of("/api/v1/trades", "/api/v1/statistics", "/api/v1/quotes?symbols=AAPL")) {
      assertRefused(Await.result(service.anonymous.get(path).send()), 401, "UNAUTHORIZED");
      assertEquals(
          200,
          Await.result(
                  service.anonymous.get(path).putHeader("Authorization", token(service, "")).send())
              .statusCode(),
          path + " with a token of no scope");
    }
    for (String path : java.util.List.of("/health/ready", "/health/live", "/openapi.yaml", "/")) {
      assertEquals(200, Await.result(service.anonymous.get(path).send()).statusCode(), path);
    }
  }

  @Test
  void errorBodiesCarryNoClassNamesOrStackTraces() {
    for (HttpResponse<Buffer> response :
        java.util.List.of(
            post("/api/v1/trades", trade(), "Bearer not.a.jwt"),
            post("/api/v1/trades", trade(), "Basic dXNlcjpwYXNz"),
            post("/api/v1/expire-trades", null, "Bearer "))) {
      String body = response.bodyAsString();
      assertTrue(response.statusCode() == 401 || response.statusCode() == 400, body);
      assertEquals("Authorization", response.bodyAsJsonObject().getString("field"), body);
      assertFalse(
          body.contains("Exception") || body.contains("io.vertx") || body.contains("\tat "), body);
    }
    Future<HttpResponse<Buffer>> unknown =
        service
            .anonymous
            .post("/api/v1/unknown-write")
            .putHeader("Authorization", token(service, "trades:write"))
            .send();
    assertEquals(
        403, Await.result(unknown).statusCode(), "a write route nobody mapped needs admin");
  }
}
