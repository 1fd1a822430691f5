package verticles;

import codec.TradeJson;
import domain.Violation;
import io.vertx.core.json.JsonObject;

/**
 * Reply bodies of {@code events.persist} and {@code records.ingest}: {@code {status}}, where a refusal is
 * {@code {status: "refused", error, message, field}}, the same violation body REST answers with.
 */
public final class Outcomes {
  public static final String REFUSED = "refused";

  private Outcomes() {}

  static JsonObject status(String status) {
    return new JsonObject().put("status", status);
  }

  static JsonObject refused(Violation violation) {
    return TradeJson.toJson(violation).put("status", REFUSED);
  }

  /** The violation a reply refused its item with, or null when the item was stored or a duplicate. */
  public static Violation refusal(JsonObject reply) {
    return REFUSED.equals(reply.getString("status")) ? TradeJson.violationFromJson(reply) : null;
  }
}
