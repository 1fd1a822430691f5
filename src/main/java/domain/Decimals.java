package domain;

import java.math.BigDecimal;

/**
 * The one wire format of money, prices, sizes and other decimal amounts: an exact decimal string in
 * plain notation without trailing zeros ({@code "125.5"}, {@code "100"}, {@code "0.0001"}), never a
 * JSON number (a decoder on the way may round it through double) and never the column's scale
 * ({@code 125.5000000000}). Counts stay JSON integers.
 */
public final class Decimals {
  private Decimals() {}

  /**
   * @return null for null
   */
  public static String format(BigDecimal value) {
    if (value == null) {
      return null;
    }
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }
}
