package resources;

import domain.Fields;
import domain.Violation;
import domain.ViolationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks an untrusted JSON body against a resource's description and turns it into the column
 * values to store, as exact text (decimals keep every digit; dates and instants in ISO-8601). Every
 * refusal names its field.
 */
public final class ResourceInput {
  private ResourceInput() {}

  /**
   * The values of a create: every field of the description (absent optional ones as null), and the
   * id when the client gave one. Unknown and computed fields are refused.
   */
  public static Map<String, String> forCreate(Resource resource, Map<String, Object> body) {
    Map<String, String> values = new LinkedHashMap<>();
    String id = Fields.text(body, resource.id(), Resource.MAX_ID_LENGTH, !resource.idGenerated());
    if (id != null) {
      values.put(resource.id(), id);
    }
    values.putAll(fields(resource, body, false));
    return values;
  }

  /**
   * The values of an update, which replaces every field a client keeps setting; an id in the body
   * must be the one in the path, and a field set at creation only is refused.
   */
  public static Map<String, String> forUpdate(
      Resource resource, String id, Map<String, Object> body) {
    Object bodyId = body.get(resource.id());
    if (bodyId != null && !bodyId.equals(id)) {
      throw Fields.invalid(resource.id(), resource.id() + " cannot change; it is " + id);
    }
    return fields(resource, body, true);
  }

  /**
   * The same check for item {@code index} of a batch: the field a refusal names becomes {@code
   * [index].field}.
   */
  public static Map<String, String> forCreate(
      Resource resource, Map<String, Object> body, int index) {
    try {
      return forCreate(resource, body);
    } catch (ViolationException e) {
      Violation v = e.violation();
      throw new ViolationException(
          Violation.of(
              v.code(),
              "[" + index + "]" + (v.field() == null ? "" : "." + v.field()),
              "item " + index + ": " + v.message()));
    }
  }

  private static Map<String, String> fields(
      Resource resource, Map<String, Object> body, boolean update) {
    for (String name : body.keySet()) {
      if (!name.equals(resource.id())) {
        refuseUnsettable(resource, name, update);
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    resource.fields().stream()
        .filter(field -> settable(field, update))
        .forEach(field -> values.put(field.name(), value(field, body)));
    return values;
  }

  /**
   * Whether a client sets this field: never a computed one, and a create-only one at creation only.
   */
  public static boolean settable(Field field, boolean update) {
    return !field.computed() && !(update && field.setAtCreationOnly());
  }

  private static void refuseUnsettable(Resource resource, String name, boolean update) {
    Field field =
        resource
            .field(name)
            .orElseThrow(
                () ->
                    Fields.invalid(
                        name,
                        "unknown field " + Fields.abbreviate(name) + " for " + resource.name()));
    if (field.computed()) {
      throw Fields.invalid(name, name + " is set by the service and cannot be sent");
    }
    if (!settable(field, update)) {
      throw Fields.invalid(name, name + " is set at creation only; the service owns it afterwards");
    }
  }

  /** The field's value as text for the database, or null when absent and optional. */
  static String value(Field field, Map<String, Object> body) {
    String name = field.name();
    boolean required = field.required();
    Object raw = body.get(name);
    return switch (field.type()) {
      case TEXT -> Fields.text(body, name, field.maxLength(), required);
      case CURRENCY -> Fields.currency(body, name, required);
      case CHOICE -> choice(field, Fields.text(body, name, 64, required));
      case DECIMAL -> text(Fields.decimal(body, name, required));
      case DATE -> text(Fields.date(body, name, required));
      case TIMESTAMP -> text(Fields.instant(body, name, required));
      case INTEGER ->
          raw instanceof Integer || raw instanceof Long
              ? raw.toString()
              : absentOr(field, raw, "a whole number");
      case BOOLEAN ->
          raw instanceof Boolean ? raw.toString() : absentOr(field, raw, "true or false");
    };
  }

  private static String absentOr(Field field, Object raw, String expected) {
    if (raw != null) {
      throw Fields.invalid(field.name(), field.name() + " must be " + expected);
    }
    if (field.required()) {
      throw Fields.missing(field.name());
    }
    return null;
  }

  private static String choice(Field field, String value) {
    if (value != null && !field.choices().contains(value)) {
      throw Fields.invalid(
          field.name(), field.name() + " must be one of " + String.join(", ", field.choices()));
    }
    return value;
  }

  private static String text(Object value) {
    return value == null
        ? null
        : value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
  }
}
