package http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The JSON pointers of the schema validator, as the dotted property paths error bodies name. */
@Tag("unit")
class ContractViolationsTest {
  @Test
  void thePointerOfTheBodyNamesNoField() {
    assertNull(ContractViolations.field("#"));
    assertNull(ContractViolations.field(null));
  }

  @Test
  void nestedPropertiesAndArrayItemsAreJoinedByDots() {
    assertEquals("version", ContractViolations.field("#/version"));
    assertEquals("positions.0.symbol", ContractViolations.field("#/positions/0/symbol"));
  }

  /**
   * The validator escapes ~ and / (RFC 6901), then percent-encodes anything beyond URL-safe ASCII.
   */
  @Test
  void escapedAndEncodedNamesAreDecoded() {
    assertEquals("a/b~c", ContractViolations.field("#/a~1b~0c"));
    assertEquals("prix é.x y", ContractViolations.field("#/prix%20%C3%A9/x%20y"));
    assertEquals("100%", ContractViolations.field("#/100%25"));
  }

  @Test
  void hugeNamesAreAbbreviated() {
    assertEquals("k".repeat(40) + "…", ContractViolations.field("#/" + "k".repeat(60_000)));
  }
}
