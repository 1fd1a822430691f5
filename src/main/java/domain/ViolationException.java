package domain;

/** Carries a {@link Violation} through code that can only fail, such as parsers. */
public final class ViolationException extends RuntimeException {
  private final Violation violation;

  public ViolationException(Violation violation) {
    super(violation.message(), null, false, false);
    this.violation = violation;
  }

  public Violation violation() {
    return violation;
  }
}
