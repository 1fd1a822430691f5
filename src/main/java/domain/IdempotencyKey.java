package domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A client's {@code Idempotency-Key} for one write: whose it is (the token's subject; keys of
 * different clients never meet), the key, and the fingerprint of the request it was sent with
 * (SHA-256 of the method, the path and the body), so the same key sent with another request is told
 * apart from a retry.
 */
public record IdempotencyKey(String subject, String key, String fingerprint) {
  public static final String HEADER = "Idempotency-Key";
  public static final int MAX_LENGTH = 255;

  /**
   * The key of a request, or null when it sent none.
   *
   * @throws ViolationException for a key that is blank, longer than {@value #MAX_LENGTH}
   *     characters, or not printable ASCII
   */
  public static IdempotencyKey of(
      String subject, String header, String method, String path, byte[] body) {
    if (header == null) {
      return null;
    }
    if (header.isBlank()
        || header.length() > MAX_LENGTH
        || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.INVALID_PARAMETER,
              HEADER,
              HEADER
                  + " must be 1 to "
                  + MAX_LENGTH
                  + " printable ASCII characters without spaces, such as a UUID"));
    }
    return new IdempotencyKey(
        subject == null ? "" : subject, header, fingerprint(method, path, body));
  }

  private static String fingerprint(String method, String path, byte[] body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
      sha256.update(body);
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
