package codec;

import domain.Decimals;
import domain.Tick;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The one JSON shape of a quote, shared by REST, the WebSocket, the event bus and the Redis cache:
 * {@code {symbol, price, size, timestamp_ms, exchange}}. Price and size are decimal strings, so no
 * JSON decoder on the way (the clustered bus, Redis, a browser) rounds them through double.
 */
public final class QuoteJson {
  private QuoteJson() {}

  public static JsonObject toJson(Tick tick) {
    return new JsonObject()
        .put("symbol", tick.symbol())
        .put("price", Decimals.format(tick.price()))
        .put("size", Decimals.format(tick.size()))
        .put("timestamp_ms", tick.timestampMs())
        .put("exchange", tick.exchange());
  }

  public static Tick fromJson(JsonObject json) {
    String size = json.getString("size");
    return new Tick(
        json.getString("symbol"),
        new BigDecimal(json.getString("price")),
        size == null ? null : new BigDecimal(size),
        json.getLong("timestamp_ms"),
        json.getString("exchange"));
  }

  /** {@code {SYMBOL: quote, ...}}, the body of REST answers, WebSocket frames and bus messages. */
  public static JsonObject toJson(Map<String, Tick> quotes) {
    JsonObject json = new JsonObject();
    quotes.forEach((symbol, tick) -> json.put(symbol, toJson(tick)));
    return json;
  }
}
