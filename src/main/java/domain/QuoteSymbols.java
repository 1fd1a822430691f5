package domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A client's list of symbols (REST query or WebSocket message): normalised, distinct, bounded. */
public final class QuoteSymbols {
  private QuoteSymbols() {}

  /** From a comma-separated query parameter such as "AAPL,msft". */
  public static List<String> fromCsv(String csv, int max) {
    if (csv == null || csv.isBlank()) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.INVALID_PARAMETER,
              "symbols",
              "symbols is required: a comma-separated list such as symbols=AAPL,MSFT"));
    }
    return fromList(List.of((Object[]) csv.split(",", -1)), max);
  }

  /** From a list of values (a JSON array). */
  public static List<String> fromList(List<?> values, int max) {
    Set<String> symbols = new LinkedHashSet<>();
    for (Object value : values) {
      try {
        symbols.add(TickNormalizer.symbol(value));
      } catch (ViolationException e) {
        throw new ViolationException(
            Violation.of(ErrorCode.INVALID_PARAMETER, "symbols", e.getMessage()));
      }
    }
    if (symbols.size() > max) {
      throw tooMany(symbols.size(), max);
    }
    return new ArrayList<>(symbols);
  }

  public static ViolationException tooMany(int count, int max) {
    return new ViolationException(
        Violation.of(
            ErrorCode.INVALID_PARAMETER,
            "symbols",
            "at most " + max + " symbols are allowed, got " + count));
  }
}
