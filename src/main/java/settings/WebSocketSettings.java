package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The /ws/quotes limits, the same on the push server and on the API port that relays to it. */
public record WebSocketSettings(
    String allowedOrigins,
    int maxConnections,
    int maxConnectionsPerClient,
    int maxSymbols,
    int maxMessageBytes,
    long pingIntervalMs) {
  public static WebSocketSettings from(JsonObject config) {
    return new WebSocketSettings(
        config.getString(WS_ALLOWED_ORIGINS),
        config.getInteger(WS_MAX_CONNECTIONS),
        config.getInteger(WS_MAX_CONNECTIONS_PER_CLIENT),
        config.getInteger(WS_MAX_SYMBOLS),
        config.getInteger(WS_MAX_MESSAGE_BYTES),
        config.getLong(WS_PING_INTERVAL_MS));
  }
}
