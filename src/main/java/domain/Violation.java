package domain;

/**
 * Why an input was refused: a stable code, a human message and the offending field (may be null).
 */
public record Violation(ErrorCode code, String message, String field) {

  public static Violation of(ErrorCode code, String field, String message) {
    return new Violation(code, message, field);
  }
}
