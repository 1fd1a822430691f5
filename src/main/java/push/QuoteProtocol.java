package push;

import domain.ErrorCode;
import domain.QuoteSymbols;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The /ws/quotes protocol. Client to server: {@code
 * {"type":"subscribe"|"update"|"unsubscribe","symbols":[…]}}. Server to client: {@code snapshot}
 * (every subscribed quote, after each command and on every change), {@code quotes} (changed quotes
 * only, for a connection opened with {@code ?frames=delta}) and {@code error} ({@code {error,
 * message, field}}, like the REST error body).
 */
public final class QuoteProtocol {
  /** Where WebSocket clients connect, on the push port. */
  public static final String PATH = "/ws/quotes";

  /**
   * The query parameter that opts a connection in to {@code quotes} frames holding only the changed
   * quotes. Without it, every frame carrying quotes is a {@code snapshot} of every subscribed quote
   * (seed 003).
   */
  public static final String DELTA_OPT_IN = "frames=delta";

  /** subscribe adds symbols, update replaces the whole set, unsubscribe removes symbols. */
  public enum Kind {
    SUBSCRIBE,
    UPDATE,
    UNSUBSCRIBE
  }

  public record Command(Kind kind, java.util.List<String> symbols) {}

  private QuoteProtocol() {}

  /**
   * @throws ViolationException for bad JSON, an unknown type or bad symbols; the connection lives
   *     on
   */
  public static Command parse(String text, int maxSymbols) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw violation(ErrorCode.MALFORMED_JSON, null, "message must be a JSON object");
    }
    Kind kind = kind(message.getValue("type"));
    Object symbols = message.getValue("symbols");
    if (!(symbols instanceof JsonArray array)) {
      throw violation(
          ErrorCode.MISSING_FIELD, "symbols", "symbols must be an array of symbol strings");
    }
    return new Command(kind, QuoteSymbols.fromList(array.getList(), maxSymbols));
  }

  private static Kind kind(Object type) {
    if (type instanceof String name) {
      switch (name) {
        case "subscribe":
          return Kind.SUBSCRIBE;
        case "update":
          return Kind.UPDATE;
        case "unsubscribe":
          return Kind.UNSUBSCRIBE;
        default:
          break;
      }
    }
    throw violation(
        ErrorCode.INVALID_FIELD, "type", "type must be subscribe, update or unsubscribe");
  }

  public static String snapshot(JsonObject quotes) {
    return new JsonObject().put("type", "snapshot").put("quotes", quotes).encode();
  }

  /** A snapshot from members already encoded ({@code "SYMBOL":{…}}, comma-separated). */
  static String snapshot(CharSequence encodedMembers) {
    return "{\"type\":\"snapshot\",\"quotes\":{" + encodedMembers + "}}";
  }

  /**
   * Whether a connection's query string opts in to {@code quotes} frames of changed quotes only.
   */
  public static boolean wantsDeltas(String query) {
    if (query == null) {
      return false;
    }
    for (String parameter : query.split("&")) {
      if (parameter.equals(DELTA_OPT_IN)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The changed-quotes frame, from members already encoded ({@code "SYMBOL":{…}}, comma-separated):
   * no encoding per client.
   */
  static String quotes(CharSequence encodedMembers) {
    return "{\"type\":\"quotes\",\"quotes\":{" + encodedMembers + "}}";
  }

  public static String error(Violation violation) {
    return new JsonObject()
        .put("type", "error")
        .put("error", violation.code().name())
        .put("message", violation.message())
        .put("field", violation.field())
        .encode();
  }

  static ViolationException violation(ErrorCode code, String field, String message) {
    return new ViolationException(Violation.of(code, field, message));
  }
}
