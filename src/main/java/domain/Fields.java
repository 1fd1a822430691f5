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

  /**
   * Longest decimal text parsed: far beyond what NUMERIC(30, 10) holds, yet short enough that
   * parsing stays cheap (BigDecimal's cost grows with the square of the digits, and parsing runs on
   * an event loop).
   */
  public static final int MAX_DECIMAL_TEXT = 100;

  private Fields() {}

  public static String text(
      Map<String, Object> json, String field, int maxLength, boolean required) {
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
    return printable(s, field).strip();
  }

  /**
   * Refuses control characters (PostgreSQL refuses NUL; logs and headers mangle the rest) and
   * unpaired surrogates, which are not Unicode: the database client would silently store them as
   * '?'.
   */
  public static String printable(String text, String field) {
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw invalid(field, field + " must not contain control characters");
    }
    // codePoints() joins each surrogate pair into one code point: a surrogate left over is
    // unpaired.
    if (text.codePoints().anyMatch(cp -> Character.getType(cp) == Character.SURROGATE)) {
      throw invalid(field, field + " must be valid Unicode (it holds an unpaired surrogate)");
    }
    return text;
  }

  /** A decimal written as text, refused unparsed when longer than {@link #MAX_DECIMAL_TEXT}. */
  public static BigDecimal decimalText(String text, String field) {
    String trimmed = text.strip();
    if (trimmed.length() > MAX_DECIMAL_TEXT) {
      throw invalid(
          field,
          field + " must be a decimal number of at most " + MAX_DECIMAL_TEXT + " characters");
    }
    try {
      return new BigDecimal(trimmed);
    } catch (NumberFormatException e) {
      throw invalid(field, field + " must be a decimal number (got '" + abbreviate(trimmed) + "')");
    }
  }

  /** At most 40 characters of untrusted text, for messages. */
  public static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
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
    BigDecimal decimal;
    if (value instanceof String s) {
      decimal = decimalText(s, field);
    } else if (value instanceof Number n) {
      decimal =
          decimalText(
              n.toString(), field); // a NaN or infinite double prints as text no decimal parses
    } else {
      throw invalid(field, field + " must be a decimal number");
    }
    // Stored as NUMERIC(30, 10): refuse what the column would round or overflow.
    if (decimal.scale() > MAX_SCALE || decimal.precision() - decimal.scale() > MAX_INTEGER_DIGITS) {
      throw invalid(
          field,
          field
              + " must have at most "
              + MAX_INTEGER_DIGITS
              + " digits before and "
              + MAX_SCALE
              + " after the decimal point");
    }
    return decimal;
  }

  public static LocalDate date(Map<String, Object> json, String field, boolean required) {
    String value = text(json, field, 10, required);
    try {
      return value == null
          ? null
          : checkYear(LocalDate.parse(value).getYear(), field, LocalDate.parse(value));
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

  /**
   * Years 1 to 9999 only: what PostgreSQL and every client store and read back without surprise.
   */
  public static <T> T checkYear(int year, String field, T value) {
    if (year < 1 || year > 9999) {
      throw invalid(field, field + " must be in the years 1 to 9999");
    }
    return value;
  }

  public static ViolationException missing(String field) {
    return new ViolationException(
        Violation.of(ErrorCode.MISSING_FIELD, field, field + " is required"));
  }

  public static ViolationException invalid(String field, String message) {
    return new ViolationException(Violation.of(ErrorCode.INVALID_FIELD, field, message));
  }
}
