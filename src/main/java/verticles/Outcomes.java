package verticles;

import codec.TradeJson;
import domain.Violation;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * Reply bodies of {@code events.persist} and {@code records.ingest}: {@code {status}}, where a refusal is
 * {@code {status: "refused", error, message, field}}, the same violation body REST answers with. A
 * consumer's run of items comes as {@code {items: [...]}} and is answered {@code {outcomes: [...]}}, in order.
 */
public final class Outcomes {
  public static final String REFUSED = "refused";
  public static final String ITEMS = "items";
  public static final String OUTCOMES = "outcomes";

  private Outcomes() {}

  /**
   * Queues one item, or a run of items as one unit, and replies once every outcome is known; an outage fails
   * the whole message (503), and its sender retries it.
   */
  static void answer(Message<JsonObject> message, BiFunction<JsonObject, GroupCommit.Unit, Future<JsonObject>> queue,
      Logger log) {
    JsonArray items = message.body().getJsonArray(ITEMS);
    Future<JsonObject> reply;
    if (items == null) {
      reply = queue.apply(message.body(), null);
    } else {
      GroupCommit.Unit unit = new GroupCommit.Unit();
      List<Future<JsonObject>> outcomes = items.stream().map(item -> queue.apply((JsonObject) item, unit)).toList();
      reply = Future.all(outcomes).map(done -> new JsonObject().put(OUTCOMES,
          new JsonArray(outcomes.stream().map(Future::result).toList())));
    }
    reply.onSuccess(message::reply).onFailure(e -> Answering.unavailable(message,
        items == null ? message.address() + " item" : "run of " + items.size() + " items on " + message.address(),
        message.headers().get(Addresses.CORRELATION_ID), e, log));
  }

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
