package resources;

import java.util.List;
import java.util.Optional;

/**
 * A declarative description of a REST resource: where it is mounted, the table and id column behind it, and
 * its fields. The generic module serves any description; a new resource is a new description.
 *
 * @param name the path segment under /api/v1/ (and the name on the bus)
 * @param table the table that holds it
 * @param id its key column; a client may give the id on create, else the column's default makes one, when
 *     {@code idGenerated}
 */
public record Resource(String name, String table, String id, boolean idGenerated, List<Field> fields) {
  public static final int MAX_ID_LENGTH = 100;

  public Resource {
    fields = List.copyOf(fields);
  }

  public static Resource of(String name, String table, String id, Field... fields) {
    return new Resource(name, table, id, true, List.of(fields));
  }

  /** A resource over a table whose ids come from its clients (or its Kafka feed): create requires the id. */
  public static Resource withClientIds(String name, String table, String id, Field... fields) {
    return new Resource(name, table, id, false, List.of(fields));
  }

  public Optional<Field> field(String fieldName) {
    return fields.stream().filter(field -> field.name().equals(fieldName)).findFirst();
  }

  public List<Field> references() {
    return fields.stream().filter(field -> field.references() != null).toList();
  }
}
