package security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import contract.Scopes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;

/**
 * A customer's national id, date of birth, email and phone are masked in every answer, lists, gets
 * and writes alike, unless the token carries {@code pii:read} or is the customer's own.
 */
@Tag("integration")
class PersonalDataTest {
  private static final List<String> PERSONAL =
      List.of("national_id", "date_of_birth", "email", "phone");

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api,finpulse"));

  private static JsonObject customer;

  @BeforeAll
  static void start() {
    customer =
        new JsonObject()
            .put("name", "Ada " + UUID.randomUUID())
            .put("email", "ada@example.com")
            .put("phone", "+46 70 123 45 67")
            .put("date_of_birth", "1990-04-01")
            .put("national_id", "19900401-1234");
    customer = service.postJson("/api/v1/customers", customer).bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> get(String path, String token) {
    return Await.result(service.anonymous.get(path).putHeader("Authorization", token).send());
  }

  private static void assertShown(JsonObject entity) {
    assertEquals("ada@example.com", entity.getString("email"));
    assertEquals("+46 70 123 45 67", entity.getString("phone"));
    assertEquals("1990-04-01", entity.getString("date_of_birth"));
    assertEquals("19900401-1234", entity.getString("national_id"));
  }

  private static void assertMasked(JsonObject entity) {
    PERSONAL.forEach(field -> assertEquals("***", entity.getString(field), field));
    assertEquals(customer.getString("name"), entity.getString("name"), "the rest is shown");
  }

  @Test
  void staffWithPiiReadSeeItAndStaffWithoutDoNot() {
    String id = customer.getString("customer_id");
    assertShown(
        get(
                "/api/v1/customers/" + id,
                service.token("kyc-officer", Scopes.OPS_READ + " " + Scopes.PII_READ))
            .bodyAsJsonObject());
    assertMasked(
        get("/api/v1/customers/" + id, service.token("support-agent", Scopes.OPS_READ))
            .bodyAsJsonObject());
  }

  @Test
  void theCustomerSeesItsOwnAndItsListShowsItToo() {
    String id = customer.getString("customer_id");
    String own = service.token("ada", Scopes.FINPULSE_WRITE, id);
    assertShown(get("/api/v1/customers/" + id, own).bodyAsJsonObject());
    JsonObject page = get("/api/v1/customers", own).bodyAsJsonObject();
    assertEquals(1, page.getJsonArray("items").size(), page::encode);
    assertShown(page.getJsonArray("items").getJsonObject(0));
  }

  @Test
  void listsAndWritesOfStaffWithoutPiiReadAreMaskedToo() {
    String listing = service.token("support-agent", Scopes.OPS_READ);
    JsonObject page = get("/api/v1/customers?size=500", listing).bodyAsJsonObject();
    page.getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(entity -> entity.getString("customer_id").equals(customer.getString("customer_id")))
        .forEach(PersonalDataTest::assertMasked);
    HttpResponse<Buffer> created =
        Await.result(
            service
                .anonymous
                .post("/api/v1/customers")
                .putHeader("Authorization", service.token("back-office", Scopes.OPS_WRITE))
                .sendJsonObject(
                    new JsonObject()
                        .put("name", "Bo " + UUID.randomUUID())
                        .put("email", "bo@example.com")));
    assertEquals(201, created.statusCode(), created::bodyAsString);
    assertEquals(
        "***",
        created.bodyAsJsonObject().getString("email"),
        "the answer to a write is masked too");
    assertEquals(
        "bo@example.com",
        service
            .sql(
                "SELECT email FROM customers WHERE customer_id = $1",
                created.bodyAsJsonObject().getString("customer_id"))
            .iterator()
            .next()
            .getString(0),
        "stored as sent");
  }
}
