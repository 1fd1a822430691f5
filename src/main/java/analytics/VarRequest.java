package analytics;

import domain.Fields;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * A VaR request: the portfolio, the look-back window in days (default 30, at most 3650), the
 * confidence (default 0.95, strictly between 0 and 1) and the method ({@code parametric}, the
 * default, or {@code historical}).
 */
public record VarRequest(
    String portfolioId, int days, BigDecimal confidence, ValueAtRisk.Method method) {
  public static final int MAX_DAYS = 3650;

  public static VarRequest parse(Map<String, Object> body) {
    return new VarRequest(
        Fields.text(body, "portfolio_id", 100, true), days(body), confidence(body), method(body));
  }

  private static int days(Map<String, Object> body) {
    Object days = body.get("days");
    if (days == null) {
      return 30;
    }
    if (!(days instanceof Integer whole) || whole < 1 || whole > MAX_DAYS) {
      throw Fields.invalid("days", "days must be a whole number from 1 to " + MAX_DAYS);
    }
    return whole;
  }

  private static BigDecimal confidence(Map<String, Object> body) {
    BigDecimal confidence = Fields.decimal(body, "confidence", false);
    if (confidence == null) {
      return new BigDecimal("0.95");
    }
    if (confidence.signum() <= 0 || confidence.compareTo(BigDecimal.ONE) >= 0) {
      throw Fields.invalid("confidence", "confidence must lie strictly between 0 and 1, e.g. 0.95");
    }
    return confidence;
  }

  private static ValueAtRisk.Method method(Map<String, Object> body) {
    String method = Fields.text(body, "method", 16, false);
    if (method == null) {
      return ValueAtRisk.Method.PARAMETRIC;
    }
    return switch (method) {
      case "parametric", "historical" ->
          ValueAtRisk.Method.valueOf(method.toUpperCase(Locale.ROOT));
      default -> throw Fields.invalid("method", "method must be parametric or historical");
    };
  }
}
