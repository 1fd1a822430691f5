package domain;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Turns an untrusted JSON object (as a map) into a {@link Trade}, naming the first offending field.
 * Shape only: the version and maturity rules live in {@link TradeRules}.
 */
public final class TradeParser {
  public static final int MAX_ID_LENGTH = 50;

  private TradeParser() {}

  /**
   * @param today fills a missing {@code created_date}
   */
  public static Trade parse(Map<String, Object> json, LocalDate today) {
    String tradeId = requiredId(json, "trade_id");
    int version = requiredVersion(json);
    String counterPartyId = requiredId(json, "counter_party_id");
    String bookId = requiredId(json, "book_id");
    LocalDate maturity = date(json, "maturity_date", null);
    LocalDate created = date(json, "created_date", today);
    // The stored expired flag is derived from maturity by the expiry job, never taken from the
    // client.
    optionalBoolean(json, "expired");
    return new Trade(tradeId, version, counterPartyId, bookId, maturity, created, false);
  }

  /** Validates an identifier taken from a URL path or query. */
  public static String id(String value, String field) {
    if (value == null || value.isBlank()) {
      throw invalid(ErrorCode.MISSING_FIELD, field, field + " is required");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw invalid(
          ErrorCode.INVALID_FIELD,
          field,
          field + " must be at most " + MAX_ID_LENGTH + " characters");
    }
    return Fields.printable(value, field);
  }

  private static String requiredId(Map<String, Object> json, String field) {
    Object value = required(json, field);
    if (!(value instanceof String s)) {
      throw invalid(ErrorCode.INVALID_FIELD, field, field + " must be a string");
    }
    return id(s.strip(), field);
  }

  private static int requiredVersion(Map<String, Object> json) {
    Object value = required(json, "version");
    if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
      throw invalid(ErrorCode.INVALID_FIELD, "version", "version must be a whole number");
    }
    BigInteger version =
        value instanceof BigInteger big ? big : BigInteger.valueOf(((Number) value).longValue());
    if (version.signum() < 0 || version.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
      throw invalid(
          ErrorCode.INVALID_FIELD, "version", "version must be between 0 and " + Integer.MAX_VALUE);
    }
    return version.intValueExact();
  }

  private static LocalDate date(Map<String, Object> json, String field, LocalDate fallback) {
    Object value = fallback == null ? required(json, field) : json.get(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw invalid(ErrorCode.INVALID_FIELD, field, field + " must be a date string (YYYY-MM-DD)");
    }
    try {
      LocalDate date = LocalDate.parse(s);
      return Fields.checkYear(date.getYear(), field, date);
    } catch (DateTimeParseException e) {
      throw invalid(
          ErrorCode.INVALID_FIELD, field, field + " must be a date in the form YYYY-MM-DD");
    }
  }

  private static void optionalBoolean(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value != null && !(value instanceof Boolean)) {
      throw invalid(ErrorCode.INVALID_FIELD, field, field + " must be true or false");
    }
  }

  private static Object required(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value == null) {
      throw invalid(ErrorCode.MISSING_FIELD, field, field + " is required");
    }
    return value;
  }

  private static ViolationException invalid(ErrorCode code, String field, String message) {
    return new ViolationException(Violation.of(code, field, message));
  }
}
