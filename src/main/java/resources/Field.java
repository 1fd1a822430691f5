package resources;

import java.util.List;

/**
 * One field of a resource, stored in the column of the same name.
 *
 * @param maxLength longest text (TEXT only)
 * @param choices the accepted values (CHOICE only)
 * @param references the resource whose id this field holds (a foreign key), or null
 * @param computed set by the service (analytics, balances), never by a client
 * @param setAtCreationOnly set by a client at creation only; the service owns it afterwards (an
 *     update may not send it)
 * @param personalData personal data, masked in every answer unless the caller may see it (pii:read,
 *     or its own)
 */
public record Field(
    String name,
    FieldType type,
    boolean required,
    int maxLength,
    List<String> choices,
    String references,
    boolean computed,
    boolean setAtCreationOnly,
    boolean personalData) {

  public static Field text(String name, int maxLength) {
    return new Field(name, FieldType.TEXT, false, maxLength, List.of(), null, false, false, false);
  }

  public static Field of(String name, FieldType type) {
    return new Field(name, type, false, 0, List.of(), null, false, false, false);
  }

  public static Field choice(String name, String... choices) {
    return new Field(name, FieldType.CHOICE, false, 0, List.of(choices), null, false, false, false);
  }

  /** The id of a row of {@code resource}. */
  public static Field ref(String name, String resource) {
    return new Field(
        name,
        FieldType.TEXT,
        false,
        Resource.MAX_ID_LENGTH,
        List.of(),
        resource,
        false,
        false,
        false);
  }

  public static Field computed(String name, FieldType type) {
    return new Field(name, type, false, 0, List.of(), null, true, false, false);
  }

  public Field mandatory() {
    return new Field(
        name,
        type,
        true,
        maxLength,
        choices,
        references,
        computed,
        setAtCreationOnly,
        personalData);
  }

  public Field createOnly() {
    return new Field(
        name, type, required, maxLength, choices, references, computed, true, personalData);
  }

  public Field personal() {
    return new Field(
        name, type, required, maxLength, choices, references, computed, setAtCreationOnly, true);
  }
}
