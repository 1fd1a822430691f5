package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/**
 * Where the quote push server listens, its WebSocket limits, the proxies whose X-Forwarded-For
 * names a client (the API port's relay among them, when it runs on another node), and the API port
 * whose dashboard page connects.
 */
public record QuotePushSettings(
    String host, int port, WebSocketSettings webSocket, String trustedProxies, int apiPort) {
  public static QuotePushSettings from(JsonObject config) {
    return new QuotePushSettings(
        config.getString(HTTP_HOST),
        config.getInteger(PUSH_HTTP_PORT),
        WebSocketSettings.from(config),
        config.getString(TRUSTED_PROXIES),
        config.getInteger(HTTP_PORT));
  }
}
