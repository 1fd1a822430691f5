package codec;

import domain.Violation;
import io.vertx.core.json.JsonObject;

/**
 * Reply bodies of {@code events.persist}, {@code records.ingest} and {@code portfolio.seed}: {@code
 * {status}}, where a refusal is {@code {status: "refused", error, message, field}}, the same
 * violation body REST answers with. A consumer's run of items comes as {@code {items: [...]}} and
 * is answered {@code {outcomes: [...]}}, in order.
 */
public final class Outcomes {
  public static final String REFUSED = "refused";

  /** The item a write names does not exist (an update or delete of the FinPulse resources). */
  public static final String NOT_FOUND = "not_found";

  public static final String ITEMS = "items";
  public static final String OUTCOMES = "outcomes";

  private Outcomes() {}

  public static JsonObject status(String status) {
    return new JsonObject().put("status", status);
  }

  public static JsonObject refused(Violation violation) {
    return TradeJson.toJson(violation).put("status", REFUSED);
  }

  /**
   * The violation a reply refused its item with, or null when the item was stored or a duplicate.
   */
  public static Violation refusal(JsonObject reply) {
    return REFUSED.equals(reply.getString("status")) ? TradeJson.violationFromJson(reply) : null;
  }
}
