package http;

/**
 * The request stream failed while its body was read: a malformed chunk, a body the decoder refuses,
 * or the client going away. Always the request's fault, never an outage or a bug.
 */
final class UnreadableRequestException extends RuntimeException {
  UnreadableRequestException(Throwable cause) {
    super(cause == null ? "the request could not be read" : cause.toString(), cause, false, false);
  }
}
