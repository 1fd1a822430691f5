package domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Typed reads of untrusted JSON fields; each failure names the field. */
public final class Fields {
  public static final int MAX_INTEGER_DIGITS = 20;
  public static final int MAX_SCALE = 10;

  private Fields() {}

  public static String text(Map<String, Object> json, String field, int maxLength, boolean required) {
    Object value = json.get(field);
    if (value == null) {
      if (required) {
        throw missing(field);
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw invalid(field, field + " must be a non-empty string");
    }
    if (s.length() > maxLength) {
      throw invalid(field, field + " must be at most " + maxLength + " characters");
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      throw invalid(field, field + " must not contain control characters");
    }
    return s.strip();
  }

  /** Decimals may come as JSON numbers or numeric strings; strings keep every digit exactly. */
  public static BigDecimal decimal(Map<String, Object> json, String field, boolean required) {
    Object value = json.get(field);
    if (value == null) {
      if (required) {
        throw missing(field);
      }
      return null;
    }
    BigDecimal decimal = null;
    try {
      if (value instanceof String s) {
        decimal = new BigDecimal(s.strip());
      } else if (value instanceof Number n && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))) {
        decimal = new BigDecimal(n.toString());
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    if (decimal == null) {
      throw invalid(field, field + " must be a decimal number");
    }
    // Stored as NUMERIC(30, 10): refuse what the column would round or overflow.
    if (decimal.scale() > MAX_SCALE || decimal.precision() - decimal.scale() > MAX_INTEGER_DIGITS) {
      throw invalid(field, field + " must have at most " + MAX_INTEGER_DIGITS + " digits before and "
          + MAX_SCALE + " after the decimal point");
    }
    return decimal;
  }

  public static LocalDate date(Map<String, Object> json, String field, boolean required) {
    String value = text(json, field, 10, required);
    try {
      return value == null ? null : checkYear(LocalDate.parse(value).getYear(), field, LocalDate.parse(value));
    } catch (DateTimeParseException e) {
      throw invalid(field, field + " must be a date in the form YYYY-MM-DD");
    }
  }

  public static OffsetDateTime instant(Map<String, Object> json, String field, boolean required) {
    String value = text(json, field, 40, required);
    try {
      if (value == null) {
        return null;
      }
      OffsetDateTime instant = Instant.parse(value).atOffset(ZoneOffset.UTC);
      return checkYear(instant.getYear(), field, instant);
    } catch (DateTimeParseException e) {
      throw invalid(field, field + " must be an ISO-8601 instant such as 2024-03-01T12:00:00Z");
    }
  }

  public static String currency(Map<String, Object> json, String field, boolean required) {
    String value = text(json, field, 3, required);
    if (value != null && !value.matches("[A-Z]{3}")) {
      throw invalid(field, field + " must be a 3-letter ISO 4217 code such as USD");
    }
    return value;
  }

  /** Years 1 to 9999 only: what PostgreSQL and every client store and read back without surprise. */
  public static <T> T checkYear(int year, String field, T value) {
    if (year < 1 || year > 9999) {
      throw invalid(field, field + " must be in the years 1 to 9999");
    }
    return value;
  }

  public static ViolationException missing(String field) {
    return new ViolationException(Violation.of(ErrorCode.MISSING_FIELD, field, field + " is required"));
  }

  public static ViolationException invalid(String field, String message) {
    return new ViolationException(Violation.of(ErrorCode.INVALID_FIELD, field, message));
  }
}
