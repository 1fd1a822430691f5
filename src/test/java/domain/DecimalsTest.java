package domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The one wire format of decimals: exact, plain, no trailing zeros, no exponent. */
@Tag("unit")
class DecimalsTest {
  @Test
  void exactPlainStringsWithoutTrailingZeros() {
    assertEquals("125.5", Decimals.format(new BigDecimal("125.5000000000")));
    assertEquals("100", Decimals.format(new BigDecimal("100.00")));
    assertEquals("100", Decimals.format(new BigDecimal("1E+2")));
    assertEquals("0.0001", Decimals.format(new BigDecimal("0.000100")));
    assertEquals("-12.25", Decimals.format(new BigDecimal("-12.250")));
    assertEquals("0", Decimals.format(new BigDecimal("0.0000000000")));
    assertEquals(
        "12345678901234567890.0123456789",
        Decimals.format(new BigDecimal("12345678901234567890.0123456789")));
    assertNull(Decimals.format(null));
  }
}
