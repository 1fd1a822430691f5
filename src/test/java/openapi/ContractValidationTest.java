package openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import domain.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * Requests are validated against openapi.yaml by the running service; its refusals keep the usual
 * error body.
 */
@Tag("integration")
class ContractValidationTest {
  private static final String TRADES = "/api/v1/trades";
  @RegisterExtension static final ServiceUnderTest service = ServiceUnderTest.perClass();

  @BeforeEach
  void cleanTables() {
    service.truncate("trades");
  }

  private static JsonObject trade(String id) {
    return Trades.json(id, 1, "B1", TestClock.today().plusDays(30));
  }

  private static JsonObject record(String id) {
    return new JsonObject()
        .put("recordId", id)
        .put("time", Instant.now().toString())
        .put("sourceId", "src")
        .put("destinationId", "dest-" + id)
        .put("type", "positive")
        .put("value", "12.50")
        .put("unit", "SEK")
        .put("reference", "ref");
  }

  /**
   * A 400 with exactly {error, message, field}, and no exception, class name or stack trace in it.
   */
  private static JsonObject assertRefused(
      HttpResponse<Buffer> response, String code, String field) {
    assertEquals(400, response.statusCode(), response::bodyAsString);
    assertEquals("application/json", response.getHeader("content-type"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(Set.of("error", "message", "field"), body.fieldNames(), body::encode);
    assertEquals(code, body.getString("error"), body::encode);
    assertEquals(field, body.getString("field"), body::encode);
    assertNotNull(body.getString("message"));
    assertFalse(
        body.getString("message").matches("(?s).*(Exception|io\\.vertx|\\bat [a-z]+\\.).*"),
        body::encode);
    return body;
  }

  private static long storedTrades() {
    return service.sql("SELECT count(*) FROM trades").iterator().next().getLong(0);
  }

  @Test
  void anUnknownPropertyIsRefusedNamingIt() {
    assertRefused(
        service.postJson(TRADES, trade("T1").put("owner", "mallory")), "INVALID_FIELD", "owner");
    assertRefused(
        service.postJson("/records", record("unknown-1").put("approved", true)),
        "INVALID_FIELD",
        "approved");
    // the router takes /api/v1/trades/ for /api/v1/trades, and so does the contract's lookup
    assertRefused(
        service.postJson(TRADES + "/", trade("T2").put("owner", "mallory")),
        "INVALID_FIELD",
        "owner");
    assertEquals(0, storedTrades());
  }

  @Test
  void aMissingPropertyIsNamed() {
    JsonObject missing = trade("T1");
    missing.remove("counter_party_id");
    assertRefused(service.postJson(TRADES, missing), "MISSING_FIELD", "counter_party_id");
  }

  /**
   * The seed is a free-form document, yet its typed properties are checked, down to the path of a
   * nested one.
   */
  @Test
  void aWrongTypeNamesTheFieldByItsPath() {
    JsonObject body =
        assertRefused(
            service.postJson(TRADES, trade("T1").put("version", "one")),
            "INVALID_FIELD",
            "version");
    assertTrue(body.getString("message").startsWith("version is invalid"), body::encode);
    assertRefused(
        service.postJson(
            "/api/v1/seed",
            new JsonObject().put("portfolio_id", "P-types").put("positions", "AAPL")),
        "INVALID_FIELD",
        "positions");
    assertRefused(
        service.postJson(
            "/api/v1/seed",
            new JsonObject()
                .put("portfolio_id", "P-types")
                .put("positions", new JsonArray().add(new JsonObject()).add(7))),
        "INVALID_FIELD",
        "positions.1");
    assertEquals(
        0,
        service
            .sql("SELECT count(*) FROM portfolios WHERE portfolio_id = 'P-types'")
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  void aBadQueryParameterIsRefusedNamingIt() {
    assertRefused(service.get(TRADES + "?size=many"), "INVALID_PARAMETER", "size");
    assertRefused(service.get("/api/v1/audit-logs?limit=0"), "INVALID_PARAMETER", "limit");
    assertRefused(service.get("/api/v1/audit-logs?status=maybe"), "INVALID_PARAMETER", "status");
    assertRefused(service.get("/records/aggregations?type=sideways"), "INVALID_PARAMETER", "type");
    assertRefused(
        service.get("/api/v1/quotes/ohlc?symbol=AAPL&interval=2m"),
        "INVALID_PARAMETER",
        "interval");
    JsonObject missing =
        assertRefused(
            service.get("/api/v1/quotes/ohlc?interval=1m"), "INVALID_PARAMETER", "symbol");
    assertEquals("symbol is required", missing.getString("message"));
  }

  /**
   * What the domain accepts stays accepted: optional properties, nulls where the parser ignores
   * them, any extra seed data.
   */
  @Test
  void validRequestsStillSucceed() {
    HttpResponse<Buffer> created = service.postJson(TRADES, trade("T1"));
    assertEquals(201, created.statusCode(), created::bodyAsString);
    JsonObject minimal = trade("T2");
    minimal.remove("created_date");
    minimal.remove("expired");
    assertEquals(201, service.postJson(TRADES, minimal).statusCode());
    assertEquals(
        201,
        service
            .postJson(TRADES, trade("T3").putNull("created_date").putNull("expired"))
            .statusCode());
    assertEquals(200, service.postJson(TRADES, trade("T1")).statusCode(), "same version replaces");
    assertEquals(3, storedTrades());

    assertEquals(
        202, service.postJson("/records", record("valid-" + System.nanoTime())).statusCode());
    assertEquals(
        200,
        service
            .postJson(
                "/api/v1/seed",
                new JsonObject()
                    .put("portfolio_id", "P-valid")
                    .put("name", "Growth")
                    .put("positions", new JsonArray().add(new JsonObject().put("symbol", "AAPL")))
                    .put("benchmark", "S&P 500"))
            .statusCode());

    for (String uri :
        List.of(
            TRADES + "?size=2&page=1",
            TRADES + "/T1",
            TRADES + "/book/B1?size=1",
            "/api/v1/audit-logs?limit=5&status=success&action=CREATE",
            "/api/v1/portfolio?portfolio_id=P-valid",
            "/api/v1/quotes/ohlc?symbol=AAPL&interval=%201H%20&minutes=5",
            "/records/aggregations?type=positive&size=200")) {
      HttpResponse<Buffer> response = service.get(uri);
      assertEquals(200, response.statusCode(), () -> uri + ": " + response.bodyAsString());
    }
  }

  @Test
  void theContractAndSwaggerUiAreServedByTheServiceItself() {
    HttpResponse<Buffer> contract = service.get("/openapi.yaml");
    assertEquals(200, contract.statusCode());
    assertEquals("application/yaml", contract.getHeader("content-type"));
    Map<String, Object> document = new Yaml().load(contract.bodyAsString());
    assertEquals("3.1.0", document.get("openapi"));

    HttpResponse<Buffer> docs = service.management("/docs");
    assertEquals(200, docs.statusCode());
    assertTrue(docs.bodyAsString().contains("/docs/swagger-ui-bundle.js"), docs::bodyAsString);
    assertFalse(
        docs.bodyAsString().matches("(?s).*(https?:)?//[a-z].*"),
        "no outside host: " + docs.bodyAsString());
    HttpResponse<Buffer> initializer = service.management("/docs/swagger-initializer.js");
    assertTrue(
        initializer.bodyAsString().contains("url: '/openapi.yaml'"), initializer::bodyAsString);
    for (String asset :
        List.of(
            "/docs/swagger-ui-bundle.js",
            "/docs/swagger-ui-standalone-preset.js",
            "/docs/swagger-ui.css")) {
      HttpResponse<Buffer> served = service.management(asset);
      assertEquals(200, served.statusCode(), asset);
      assertTrue(served.body().length() > 1_000, asset);
    }
  }

  /**
   * The Error schema lists exactly the codes the service answers with, so clients can switch on
   * them.
   */
  @Test
  void theContractsErrorCodesAreTheDomainsErrorCodes() {
    Map<String, Object> document = new Yaml().load(service.get("/openapi.yaml").bodyAsString());
    JsonObject error =
        new JsonObject(document)
            .getJsonObject("components")
            .getJsonObject("schemas")
            .getJsonObject("Error");
    List<String> codes =
        error.getJsonObject("properties").getJsonObject("error").getJsonArray("enum").stream()
            .map(String::valueOf)
            .toList();
    assertEquals(Arrays.stream(ErrorCode.values()).map(Enum::name).toList(), codes);
  }
}
