package finpulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import resources.Field;
import resources.FieldType;
import resources.FinPulse;
import resources.Resource;
import support.Await;
import support.ServiceUnderTest;

/**
 * The contract every described resource keeps, checked generically over all 18 descriptions:
 * create, get, list, update, delete, batch (all or none), 404, broken references, and bad input
 * answered 4xx with the field named.
 */
@Tag("integration")
class ResourceContractTest {
  @RegisterExtension static final ServiceUnderTest service = ServiceUnderTest.perClass();
  private static Samples samples;

  @BeforeAll
  static void start() {
    samples = new Samples(service);
  }

  static Stream<String> resources() {
    return FinPulse.ALL.stream().map(Resource::name);
  }

  @Test
  void eighteenResourcesAreDescribed() {
    assertEquals(18, FinPulse.ALL.size());
    assertEquals(18, FinPulse.ALL.stream().map(Resource::name).distinct().count());
  }

  @ParameterizedTest
  @MethodSource("resources")
  void createGetUpdateDelete(String name) {
    Resource resource = FinPulse.named(name);
    JsonObject body = samples.body(resource);
    String id = body.getString(resource.id());

    HttpResponse<Buffer> created = samples.post(Samples.path(resource), body);
    assertEquals(201, created.statusCode(), created::bodyAsString);
    assertEquals(Samples.path(resource) + "/" + id, created.getHeader("Location"));
    assertSameFields(resource, body, created.bodyAsJsonObject());
    resource.fields().stream()
        .filter(Field::computed)
        .forEach(
            field ->
                assertNotNull(
                    created.bodyAsJsonObject().getValue(field.name()), field.name() + " computed"));
    assertSameFields(resource, body, get(resource, id).bodyAsJsonObject());
    assertEquals(
        1,
        service
            .sql(
                "SELECT count(*) FROM " + resource.table() + " WHERE " + resource.id() + " = $1",
                id)
            .iterator()
            .next()
            .getLong(0));

    JsonObject changed = changed(resource, body);
    HttpResponse<Buffer> updated = samples.put(Samples.path(resource) + "/" + id, changed);
    assertEquals(200, updated.statusCode(), updated::bodyAsString);
    assertSameFields(resource, changed, updated.bodyAsJsonObject());
    assertSameFields(resource, changed, get(resource, id).bodyAsJsonObject());

    assertEquals(204, service.delete(Samples.path(resource) + "/" + id).statusCode());
    assertNotFound(resource, get(resource, id));
    assertNotFound(resource, service.delete(Samples.path(resource) + "/" + id));
    assertNotFound(resource, samples.put(Samples.path(resource) + "/" + id, changed));
  }

  @ParameterizedTest
  @MethodSource("resources")
  void listsArePagedAndFilterableByReference(String name) {
    Resource resource = FinPulse.named(name);
    samples.created(resource);
    samples.created(resource);
    JsonObject first =
        Await.result(service.http.get(Samples.path(resource) + "?size=1").send())
            .bodyAsJsonObject();
    assertEquals(1, first.getJsonArray("items").size());
    assertTrue(first.getLong("total") >= 2, first::encode);
    JsonObject second = service.get(first.getString("next")).bodyAsJsonObject();
    assertEquals(1, second.getJsonArray("items").size());
    assertTrue(
        second
                .getJsonArray("items")
                .getJsonObject(0)
                .getString(resource.id())
                .compareTo(first.getJsonArray("items").getJsonObject(0).getString(resource.id()))
            > 0,
        "keyset order");

    for (Field reference : resource.references()) {
      JsonObject child =
          samples.post(Samples.path(resource), samples.body(resource)).bodyAsJsonObject();
      String parent = child.getString(reference.name());
      JsonObject filtered =
          service
              .get(Samples.path(resource) + "?" + reference.name() + "=" + parent)
              .bodyAsJsonObject();
      assertEquals(1, filtered.getLong("total"), filtered::encode);
      assertEquals(
          child.getString(resource.id()),
          filtered.getJsonArray("items").getJsonObject(0).getString(resource.id()));
    }
  }

  @ParameterizedTest
  @MethodSource("resources")
  void batchCreatesAllOrNone(String name) {
    Resource resource = FinPulse.named(name);
    JsonObject one = samples.body(resource);
    JsonObject two = samples.body(resource);
    HttpResponse<Buffer> created =
        samples.post(Samples.path(resource) + "/batch", new JsonArray().add(one).add(two));
    assertEquals(201, created.statusCode(), created::bodyAsString);
    JsonArray entities = created.bodyAsJsonArray();
    assertEquals(2, entities.size());
    assertSameFields(resource, one, entities.getJsonObject(0));
    assertSameFields(resource, two, entities.getJsonObject(1));
    assertEquals(2, stored(resource, one, two));

    // an item the description refuses: nothing is stored, and the field names the item
    JsonObject good = samples.body(resource);
    JsonObject bad =
        samples
            .body(resource)
            .put(firstRequired(resource).name(), Samples.wrongType(firstRequired(resource)));
    HttpResponse<Buffer> refused =
        samples.post(Samples.path(resource) + "/batch", new JsonArray().add(good).add(bad));
    assertError(refused, 400, "INVALID_FIELD", "[1]." + firstRequired(resource).name());
    // an item the database refuses (the first item's id again): the first item is rolled back too
    JsonObject again = samples.body(resource).put(resource.id(), good.getString(resource.id()));
    HttpResponse<Buffer> duplicate =
        samples.post(Samples.path(resource) + "/batch", new JsonArray().add(good).add(again));
    assertError(duplicate, 409, "DUPLICATE_KEY", "[1]." + resource.id());
    assertEquals(0, stored(resource, good, again));

    assertError(samples.post(Samples.path(resource) + "/batch", good), 400, "MALFORMED_JSON", null);
    assertError(
        samples.post(Samples.path(resource) + "/batch", new JsonArray()),
        400,
        "INVALID_FIELD",
        null);
    assertError(
        samples.post(Samples.path(resource) + "/batch", new JsonArray().add(1)),
        400,
        "MALFORMED_JSON",
        "[0]");
  }

  @ParameterizedTest
  @MethodSource("resources")
  void brokenReferencesAre422AndReferencedRowsCannotBeDeleted(String name) {
    Resource resource = FinPulse.named(name);
    assumeFalse(resource.references().isEmpty(), name + " references nothing");
    for (Field reference : resource.references()) {
      JsonObject body = samples.body(resource).put(reference.name(), Samples.unique("missing"));
      assertError(
          samples.post(Samples.path(resource), body), 422, "REFERENCE_NOT_FOUND", reference.name());
      assertEquals(0, stored(resource, body));
      JsonObject good = samples.body(resource);
      assertError(
          samples.post(Samples.path(resource) + "/batch", new JsonArray().add(good).add(body)),
          422,
          "REFERENCE_NOT_FOUND",
          "[1]." + reference.name());
      assertEquals(0, stored(resource, good, body));
    }
    Field reference = resource.references().get(0);
    Resource parent = FinPulse.named(reference.references());
    String parentId =
        samples
            .post(Samples.path(resource), samples.body(resource))
            .bodyAsJsonObject()
            .getString(reference.name());
    HttpResponse<Buffer> inUse = service.delete(Samples.path(parent) + "/" + parentId);
    assertError(inUse, 409, "REFERENCE_IN_USE", parent.id());
    assertEquals(200, get(parent, parentId).statusCode());
  }

  @ParameterizedTest
  @MethodSource("resources")
  void badInputIs4xxNamingTheFieldNever5xx(String name) {
    Resource resource = FinPulse.named(name);
    String path = Samples.path(resource);
    for (Field field : resource.fields()) {
      if (field.computed()) {
        assertError(
            samples.post(path, samples.body(resource).put(field.name(), "0.1")),
            400,
            "INVALID_FIELD",
            field.name());
      } else {
        assertError(
            samples.post(path, samples.body(resource).put(field.name(), Samples.wrongType(field))),
            400,
            "INVALID_FIELD",
            field.name());
      }
      if (field.required()) {
        JsonObject missing = samples.body(resource);
        missing.remove(field.name());
        assertError(samples.post(path, missing), 400, "MISSING_FIELD", field.name());
      }
    }
    assertError(
        samples.post(path, samples.body(resource).put("no_such_field", 1)),
        400,
        "INVALID_FIELD",
        "no_such_field");
    assertError(
        service.postRaw(path, "application/json", Buffer.buffer("{\"name\": ")),
        400,
        "MALFORMED_JSON",
        null);
    assertError(
        service.postRaw(path, "application/json", Buffer.buffer("[]")),
        400,
        "MALFORMED_JSON",
        null);
    assertError(
        service.postRaw(path, "text/plain", Buffer.buffer("{}")),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        null);
    String id = samples.created(resource);
    assertError(
        samples.put(path + "/" + id, samples.body(resource).put(resource.id(), "another")),
        400,
        "INVALID_FIELD",
        resource.id());
    for (Field setAtCreation :
        resource.fields().stream().filter(Field::setAtCreationOnly).toList()) {
      JsonObject again = samples.body(resource);
      again.remove(resource.id());
      assertError(samples.put(path + "/" + id, again), 400, "INVALID_FIELD", setAtCreation.name());
    }
    assertError(
        Await.result(
            service
                .http
                .put(path + "/" + id)
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("nope"))),
        400,
        "MALFORMED_JSON",
        null);
    assertError(
        Await.result(service.http.get(path + "?size=0").send()), 400, "INVALID_PARAMETER", "size");
    assertError(
        Await.result(service.http.get(path + "?cursor=zzz").send()),
        400,
        "INVALID_PARAMETER",
        "cursor");
    assertNotFound(resource, get(resource, "x".repeat(300)));
  }

  private static HttpResponse<Buffer> get(Resource resource, String id) {
    return service.get(Samples.path(resource) + "/" + id);
  }

  private static long stored(Resource resource, JsonObject... bodies) {
    List<String> ids = Stream.of(bodies).map(body -> body.getString(resource.id())).toList();
    return service
        .sql(
            "SELECT count(*) FROM " + resource.table() + " WHERE " + resource.id() + " = ANY($1)",
            (Object) ids.toArray(new String[0]))
        .iterator()
        .next()
        .getLong(0);
  }

  private static Field firstRequired(Resource resource) {
    return resource.fields().stream().filter(Field::required).findFirst().orElseThrow();
  }

  /**
   * The body with every field a client sets changed, references kept; fields set at creation only
   * left out.
   */
  private static JsonObject changed(Resource resource, JsonObject body) {
    JsonObject changed = body.copy();
    for (Field field : resource.fields()) {
      if (field.setAtCreationOnly()) {
        changed.remove(field.name());
      }
      if (field.computed() || field.references() != null || field.setAtCreationOnly()) {
        continue;
      }
      switch (field.type()) {
        case DECIMAL -> changed.put(field.name(), "98765.4321");
        case TEXT ->
            changed.put(
                field.name(), Samples.unique("u").substring(0, Math.min(field.maxLength(), 14)));
        case BOOLEAN -> changed.put(field.name(), false);
        case INTEGER -> changed.put(field.name(), 99);
        case DATE -> changed.put(field.name(), "2032-01-31");
        case TIMESTAMP -> changed.put(field.name(), "2025-01-01T00:00:00Z");
        case CHOICE -> changed.put(field.name(), field.choices().get(field.choices().size() - 1));
        case CURRENCY -> changed.put(field.name(), "SEK");
      }
    }
    return changed;
  }

  /** Every field the client set comes back as sent (decimals compared by value). */
  private static void assertSameFields(Resource resource, JsonObject sent, JsonObject entity) {
    assertEquals(sent.getString(resource.id()), entity.getString(resource.id()));
    for (Field field : resource.fields()) {
      if (field.computed() || field.setAtCreationOnly() && !sent.containsKey(field.name())) {
        continue;
      }
      Object expected = sent.getValue(field.name());
      Object actual = entity.getValue(field.name());
      if (field.type() == FieldType.DECIMAL) {
        assertEquals(
            0,
            new BigDecimal(expected.toString()).compareTo(new BigDecimal(actual.toString())),
            field.name() + ": " + expected + " vs " + actual);
      } else if (field.type() == FieldType.INTEGER) {
        assertEquals(((Number) expected).longValue(), ((Number) actual).longValue(), field.name());
      } else {
        assertEquals(expected, actual, field.name());
      }
    }
  }

  private static void assertNotFound(Resource resource, HttpResponse<Buffer> response) {
    assertError(response, 404, "NOT_FOUND", resource.id());
  }

  static void assertError(HttpResponse<Buffer> response, int status, String error, String field) {
    assertEquals(status, response.statusCode(), response::bodyAsString);
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(error, body.getString("error"), body::encode);
    assertEquals(field, body.getString("field"), body::encode);
    assertFalse(body.getString("message", "").isBlank(), body::encode);
  }
}
