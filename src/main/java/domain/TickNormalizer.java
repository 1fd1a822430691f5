package domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a producer's tick, in any of the common field spellings, into a {@link Tick}, or refuses it
 * with a violation naming the canonical field. The first alias present wins, in the order listed.
 */
public final class TickNormalizer {
  public static final List<String> SYMBOL_ALIASES = List.of("symbol", "s", "ticker", "sym");
  public static final List<String> PRICE_ALIASES = List.of("price", "p", "last", "last_price");
  public static final List<String> SIZE_ALIASES =
      List.of("size", "q", "qty", "quantity", "volume", "v");
  public static final List<String> TIME_ALIASES =
      List.of("timestamp_ms", "timestamp", "ts", "t", "time");
  public static final List<String> EXCHANGE_ALIASES = List.of("exchange", "x", "venue", "ex");

  public static final int MAX_SYMBOL_LENGTH = 32;
  public static final int MAX_EXCHANGE_LENGTH = 32;

  /** The storage type is NUMERIC(30, 10): at most 20 digits before the point and 10 after. */
  private static final int MAX_SCALE = 10;

  private static final int MAX_INTEGER_DIGITS = 20;

  /** Up to the end of year 9999, so that every accepted timestamp is a valid timestamptz. */
  private static final long MAX_TIMESTAMP_MS = 253_402_300_799_999L;

  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9._:/^=-]*");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

  private TickNormalizer() {}

  /**
   * @param fallbackTimestampMs used when the tick carries no timestamp (the Kafka record's
   *     timestamp)
   * @throws ViolationException MISSING_FIELD or INVALID_FIELD, naming the canonical field
   */
  public static Tick normalize(Map<String, Object> raw, long fallbackTimestampMs) {
    return normalize(raw, null, fallbackTimestampMs);
  }

  /**
   * For symbol-keyed topics ({@code market.quotes.enriched}): a tick without a symbol field takes
   * the record's key as its symbol.
   *
   * @param keySymbol the Kafka record's key, or null
   */
  public static Tick normalize(
      Map<String, Object> raw, String keySymbol, long fallbackTimestampMs) {
    Object named = first(raw, SYMBOL_ALIASES);
    String symbol =
        symbol(
            named != null || keySymbol == null
                ? required(raw, SYMBOL_ALIASES, "symbol")
                : keySymbol);
    BigDecimal price = decimal(required(raw, PRICE_ALIASES, "price"), "price");
    if (price.signum() <= 0) {
      throw invalid("price", "price must be greater than zero");
    }
    Object rawSize = first(raw, SIZE_ALIASES);
    BigDecimal size = rawSize == null ? null : decimal(rawSize, "size");
    if (size != null && size.signum() < 0) {
      throw invalid("size", "size must not be negative");
    }
    Object rawTime = first(raw, TIME_ALIASES);
    long timestampMs = rawTime == null ? fallbackTimestampMs : timestampMs(rawTime);
    return new Tick(symbol, price, size, timestampMs, exchange(first(raw, EXCHANGE_ALIASES)));
  }

  /** A symbol as stored and looked up: trimmed, upper case, 1 to 32 of A-Z 0-9 . _ : / ^ = -. */
  public static String symbol(Object value) {
    if (!(value instanceof String text)) {
      throw invalid("symbol", "symbol must be a string");
    }
    String symbol = text.strip().toUpperCase(Locale.ROOT);
    if (symbol.isEmpty()
        || symbol.length() > MAX_SYMBOL_LENGTH
        || !SYMBOL.matcher(symbol).matches()) {
      throw invalid(
          "symbol",
          "symbol must be 1-"
              + MAX_SYMBOL_LENGTH
              + " characters of A-Z, 0-9 and . _ : / ^ = - (got '"
              + Fields.abbreviate(text)
              + "')");
    }
    return symbol;
  }

  private static Object required(Map<String, Object> raw, List<String> aliases, String field) {
    Object value = first(raw, aliases);
    if (value == null) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.MISSING_FIELD,
              field,
              field + " is missing (accepted names: " + String.join(", ", aliases) + ")"));
    }
    return value;
  }

  private static Object first(Map<String, Object> raw, List<String> aliases) {
    for (String alias : aliases) {
      Object value = raw.get(alias);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static BigDecimal decimal(Object value, String field) {
    BigDecimal decimal;
    if (value instanceof BigDecimal d) {
      decimal = d;
    } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      decimal = new BigDecimal(value.toString());
    } else if (value instanceof String text) {
      decimal = Fields.decimalText(text, field);
    } else {
      throw invalid(field, field + " must be a decimal number or a string holding one");
    }
    return withinStorage(decimal.stripTrailingZeros(), field);
  }

  private static BigDecimal withinStorage(BigDecimal decimal, String field) {
    if (decimal.scale() > MAX_SCALE) {
      throw invalid(field, field + " has more than " + MAX_SCALE + " decimal places");
    }
    if (decimal.precision() - decimal.scale() > MAX_INTEGER_DIGITS) {
      throw invalid(
          field,
          field + " has more than " + MAX_INTEGER_DIGITS + " digits before the decimal point");
    }
    return decimal.scale() < 0 ? decimal.setScale(0) : decimal;
  }

  /**
   * Epoch milliseconds as a number or digit string, or an ISO-8601 date-time (no offset means UTC).
   */
  private static long timestampMs(Object value) {
    long ms;
    if (value instanceof Integer || value instanceof Long) {
      ms = ((Number) value).longValue();
    } else if (value instanceof BigDecimal || value instanceof BigInteger) {
      ms = wholeMillis(new BigDecimal(value.toString()));
    } else if (value instanceof String text && DIGITS.matcher(text.strip()).matches()) {
      ms = Long.parseLong(text.strip());
    } else if (value instanceof String text) {
      ms = isoMillis(text.strip());
    } else {
      throw invalid(
          "timestamp_ms",
          "timestamp must be epoch milliseconds (whole number) or an ISO-8601 date-time");
    }
    if (ms < 0 || ms > MAX_TIMESTAMP_MS) {
      throw invalid("timestamp_ms", "timestamp " + ms + " ms is outside 1970..9999");
    }
    return ms;
  }

  private static long wholeMillis(BigDecimal value) {
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      throw invalid(
          "timestamp_ms",
          "timestamp must be a whole number of epoch milliseconds (got " + value + ")");
    }
  }

  private static long isoMillis(String text) {
    try {
      return isoInstant(text).toEpochMilli();
    } catch (ArithmeticException e) {
      throw invalid(
          "timestamp_ms", "timestamp '" + Fields.abbreviate(text) + "' is outside 1970..9999");
    }
  }

  private static Instant isoInstant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        try {
          return Instant.parse(text);
        } catch (DateTimeParseException alsoNot) {
          throw invalid(
              "timestamp_ms",
              "timestamp '"
                  + Fields.abbreviate(text)
                  + "' is neither epoch milliseconds nor ISO-8601");
        }
      }
    }
  }

  private static String exchange(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw invalid("exchange", "exchange must be a string");
    }
    String exchange = text.strip().toUpperCase(Locale.ROOT);
    if (exchange.length() > MAX_EXCHANGE_LENGTH) {
      throw invalid("exchange", "exchange is longer than " + MAX_EXCHANGE_LENGTH + " characters");
    }
    Fields.printable(exchange, "exchange");
    return exchange.isEmpty() ? null : exchange;
  }

  private static ViolationException invalid(String field, String message) {
    return new ViolationException(Violation.of(ErrorCode.INVALID_FIELD, field, message));
  }
}
