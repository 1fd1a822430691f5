package resources;

import java.util.List;
import java.util.Optional;

/**
 * A declarative description of a REST resource: where it is mounted, the table and id column behind
 * it, its fields, and who owns its rows. The generic module serves any description; a new resource
 * is a new description.
 *
 * @param name the path segment under /api/v1/ (and the name on the bus)
 * @param table the table that holds it
 * @param id its key column; a client may give the id on create, else the column's default makes
 *     one, when {@code idGenerated}
 * @param ownership whose its rows are: reference data, a customer itself, or its owner's through a
 *     reference
 */
public record Resource(
    String name,
    String table,
    String id,
    boolean idGenerated,
    List<Field> fields,
    Ownership ownership) {
  public static final int MAX_ID_LENGTH = 100;

  /**
   * Whose rows are: nobody's ({@code REFERENCE}: readable by any token, written by staff), the
   * customer the row is ({@code CUSTOMER}), or the owner of the row its field {@code via}
   * references ({@code VIA}).
   */
  public record Ownership(Kind kind, String via) {
    public enum Kind {
      REFERENCE,
      CUSTOMER,
      VIA
    }

    public static final Ownership REFERENCE = new Ownership(Kind.REFERENCE, null);
    public static final Ownership CUSTOMER = new Ownership(Kind.CUSTOMER, null);

    public static Ownership via(String field) {
      return new Ownership(Kind.VIA, field);
    }
  }

  public Resource {
    fields = List.copyOf(fields);
  }

  /** Rows owned by the owner of the row their field {@code via} references. */
  public static Resource owned(String name, String table, String id, String via, Field... fields) {
    return new Resource(name, table, id, true, List.of(fields), Ownership.via(via));
  }

  /** The customers themselves: each row is its own owner's. */
  public static Resource customers(String name, String table, String id, Field... fields) {
    return new Resource(name, table, id, true, List.of(fields), Ownership.CUSTOMER);
  }

  /** Reference data, nobody's: instruments, bonds, options, market data. */
  public static Resource reference(String name, String table, String id, Field... fields) {
    return new Resource(name, table, id, true, List.of(fields), Ownership.REFERENCE);
  }

  /** Reference data whose ids come from its clients (or its Kafka feed): create requires the id. */
  public static Resource referenceWithClientIds(
      String name, String table, String id, Field... fields) {
    return new Resource(name, table, id, false, List.of(fields), Ownership.REFERENCE);
  }

  public boolean owned() {
    return ownership.kind() != Ownership.Kind.REFERENCE;
  }

  public Optional<Field> field(String fieldName) {
    return fields.stream().filter(field -> field.name().equals(fieldName)).findFirst();
  }

  /** The fields holding personal data. */
  public List<String> personalFields() {
    return fields.stream().filter(Field::personalData).map(Field::name).toList();
  }

  public List<Field> references() {
    return fields.stream().filter(field -> field.references() != null).toList();
  }
}
