package domain;

/** Stable error codes shared by REST error bodies, dead-letter headers and audit entries. */
public enum ErrorCode {
  MALFORMED_JSON,
  MALFORMED_REQUEST,
  URI_TOO_LONG,
  HEADERS_TOO_LARGE,
  MISSING_FIELD,
  INVALID_FIELD,
  INVALID_PARAMETER,
  INVALID_VERSION,
  INVALID_MATURITY_DATE,
  INSUFFICIENT_FUNDS,
  /** An Idempotency-Key sent again with another request. */
  IDEMPOTENCY_KEY_REUSED,
  NOT_FOUND,
  UNAUTHORIZED,
  FORBIDDEN,
  RATE_LIMITED,
  /** A reference names a row that does not exist (a foreign key). */
  REFERENCE_NOT_FOUND,
  /** A row other rows still reference cannot be deleted. */
  REFERENCE_IN_USE,
  DUPLICATE_KEY,
  /** Too little stored history to compute an analytic (VaR). */
  INSUFFICIENT_HISTORY,
  METHOD_NOT_ALLOWED,
  PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  SERVICE_UNAVAILABLE,
  INTERNAL_ERROR
}
