package finpulse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import resources.Field;
import resources.FinPulse;
import resources.Resource;
import support.Await;
import support.ServiceUnderTest;

/**
 * Valid bodies for any described resource, made from its description alone: a value of the right
 * type for every field a client sets, and for every reference a parent created first through the
 * API.
 */
public final class Samples {
  private final ServiceUnderTest service;

  public Samples(ServiceUnderTest service) {
    this.service = service;
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  static String path(Resource resource) {
    return "/api/v1/" + resource.name();
  }

  /** A valid create body, with an explicit id, whose parents exist. */
  JsonObject body(Resource resource) {
    JsonObject body = new JsonObject().put(resource.id(), unique(resource.name()));
    for (Field field : resource.fields()) {
      if (!field.computed()) {
        body.put(
            field.name(),
            field.references() != null
                ? created(FinPulse.named(field.references()))
                : value(field));
      }
    }
    return body;
  }

  /** Creates one entity through the API and returns its id. */
  String created(Resource resource) {
    HttpResponse<Buffer> response = post(path(resource), body(resource));
    if (response.statusCode() != 201) {
      throw new AssertionError(
          "creating a "
              + resource.name()
              + ": "
              + response.statusCode()
              + " "
              + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString(resource.id());
  }

  HttpResponse<Buffer> post(String path, Object body) {
    return Await.result(
        service.http.post(path).sendBuffer(Buffer.buffer(io.vertx.core.json.Json.encode(body))));
  }

  HttpResponse<Buffer> put(String path, JsonObject body) {
    return Await.result(service.http.put(path).sendJsonObject(body));
  }

  /** A value of the field's type, within its limits; text is unique so that keys never collide. */
  public static Object value(Field field) {
    return switch (field.type()) {
      case TEXT -> unique("t").substring(0, Math.min(field.maxLength(), 14));
      case CURRENCY -> "EUR";
      case CHOICE -> field.choices().get(0);
      case DECIMAL -> "1234.5";
      case INTEGER -> 12;
      case BOOLEAN -> true;
      case DATE -> "2031-06-30";
      case TIMESTAMP -> "2024-03-01T12:30:00Z";
    };
  }

  /** A value of the wrong type for the field. */
  static Object wrongType(Field field) {
    return switch (field.type()) {
      case TEXT, CURRENCY, CHOICE -> 42;
      case DECIMAL -> "twelve";
      case INTEGER -> "12";
      case BOOLEAN -> "yes";
      case DATE -> "30/06/2031";
      case TIMESTAMP -> 1_700_000_000;
    };
  }
}
