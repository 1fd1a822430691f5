package http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque keyset cursor of every listing: base64url (no padding) of {@code 1:} and the last key
 * a page ended with. The version prefix lets the format change without mistaking an old cursor for
 * a key.
 */
public final class Cursor {
  public static final String PARAM = "cursor";
  private static final String FORMAT = "1:";
  private static final int MAX_ENCODED = 512;

  private Cursor() {}

  public static String encode(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((FORMAT + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @return the key the cursor carries; a cursor this service did not hand out is a 400 naming
   *     {@code cursor}
   */
  public static String decode(String cursor) {
    if (cursor.length() > MAX_ENCODED) {
      throw malformed();
    }
    try {
      String decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor)))
              .toString();
      if (decoded.startsWith(FORMAT)
          && decoded.length() > FORMAT.length()
          && decoded.indexOf('\0') < 0) {
        return decoded.substring(FORMAT.length());
      }
    } catch (IllegalArgumentException | CharacterCodingException e) {
      // reported below
    }
    throw malformed();
  }

  private static ApiException malformed() {
    return ApiException.badParameter(
        PARAM,
        "cursor is not one this service handed out: pass the cursor of the last "
            + "page's next link unchanged, or leave it out to start from the first page");
  }
}
