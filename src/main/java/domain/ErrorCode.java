package domain;

/** Stable error codes shared by REST error bodies, dead-letter headers and audit entries. */
public enum ErrorCode {
  MALFORMED_JSON,
  MISSING_FIELD,
  INVALID_FIELD,
  INVALID_PARAMETER,
  INVALID_VERSION,
  INVALID_MATURITY_DATE,
  NOT_FOUND,
  METHOD_NOT_ALLOWED,
  PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  SERVICE_UNAVAILABLE,
  INTERNAL_ERROR
}
