package http;

import domain.ErrorCode;
import domain.Violation;

/** A request that must end with this HTTP status and error body. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final Violation violation;

  public ApiException(int status, Violation violation) {
    super(violation.message(), null, false, false);
    this.status = status;
    this.violation = violation;
  }

  public static ApiException badParameter(String field, String message) {
    return new ApiException(400, Violation.of(ErrorCode.INVALID_PARAMETER, field, message));
  }

  /** A refusal, with the status its error code answers with ({@link ApiErrors#status}). */
  public static ApiException refused(Violation violation) {
    return new ApiException(ApiErrors.status(violation), violation);
  }

  public static ApiException notFound(String field, String message) {
    return new ApiException(404, Violation.of(ErrorCode.NOT_FOUND, field, message));
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, Violation.of(ErrorCode.SERVICE_UNAVAILABLE, null, message));
  }

  public int status() {
    return status;
  }

  public Violation violation() {
    return violation;
  }
}
