package store;

import domain.ErrorCode;
import domain.Violation;
import io.vertx.pgclient.PgException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells data the database refuses (SQLSTATE classes 22, data exception, and 23, integrity
 * violation), which will never succeed, from everything else, which is an outage worth retrying.
 */
public final class StoreFailures {
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final Pattern KEY = Pattern.compile("^Key \\(([^,)]+)");
  private static final Pattern KEY_VALUE =
      Pattern.compile("^Key \\([^,)]+\\)=\\((.*)\\) (?:is|already)");

  private StoreFailures() {}

  public static boolean isBadData(Throwable failure) {
    return failure instanceof PgException pg
        && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  /**
   * The violation to answer for data the database refused, naming the column from the error's
   * detail ({@code Key (customer_id)=(c-1) is not present in table "customers".}) but quoting none
   * of the database's text: no table, constraint or other row reaches the client.
   */
  public static Violation refusal(Throwable failure) {
    String state = failure instanceof PgException pg ? pg.getSqlState() : "";
    String detail =
        failure instanceof PgException pg && pg.getDetail() != null ? pg.getDetail() : "";
    String key = keyColumn(detail);
    return switch (state) {
      case FOREIGN_KEY_VIOLATION ->
          detail.contains("still referenced")
              ? Violation.of(
                  ErrorCode.REFERENCE_IN_USE,
                  key,
                  "still referenced by other records; delete those first")
              : Violation.of(ErrorCode.REFERENCE_NOT_FOUND, key, missingReference(key));
      case UNIQUE_VIOLATION ->
          Violation.of(
              ErrorCode.DUPLICATE_KEY, key, (key == null ? "the record" : key) + " already exists");
      default ->
          Violation.of(
              ErrorCode.INVALID_FIELD,
              key,
              "a value does not fit its field (too long, too large or "
                  + "malformed for what it holds)");
    };
  }

  /**
   * The refusal of a reference that names nothing the caller may see: the same words whether the
   * row does not exist or is another customer's, so ids cannot be probed.
   */
  public static String missingReference(String field) {
    return field + " names nothing that exists";
  }

  /**
   * The value of a single-column key named in the error's detail ({@code Key (c)=(value) …}), or
   * null.
   */
  public static String keyValue(Throwable failure) {
    String detail =
        failure instanceof PgException pg && pg.getDetail() != null ? pg.getDetail() : "";
    Matcher value = KEY_VALUE.matcher(detail);
    return value.find() ? value.group(1) : null;
  }

  /** The first column of {@code Key (a, b)=(…)}, or null. */
  private static String keyColumn(String detail) {
    Matcher key = KEY.matcher(detail);
    return key.find() ? key.group(1).strip() : null;
  }
}
