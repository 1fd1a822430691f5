package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** Where the quote push server listens, and its WebSocket limits. */
public record QuotePushSettings(String host, int port, WebSocketSettings webSocket) {
  public static QuotePushSettings from(JsonObject config) {
    return new QuotePushSettings(config.getString(HTTP_HOST), config.getInteger(PUSH_HTTP_PORT),
        WebSocketSettings.from(config));
  }
}
