package support;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import push.QuoteProtocol;

/** The quotes WebSocket from a client's side, for tests that only need to know it answers. */
public final class QuoteSockets {
  private QuoteSockets() {}

  /** Connects to {@code /ws/quotes} on {@code port}, subscribes to {@code symbol}, and returns the first frame. */
  public static JsonObject firstFrameAfterSubscribing(Vertx vertx, int port, String symbol) {
    WebSocket socket = Await.result(vertx.createWebSocketClient().connect(port, "127.0.0.1", QuoteProtocol.PATH));
    try {
      Promise<JsonObject> frame = Promise.promise();
      socket.textMessageHandler(text -> frame.tryComplete(new JsonObject(text)));
      Await.result(socket.writeTextMessage(new JsonObject().put("type", "subscribe")
          .put("symbols", new JsonArray().add(symbol)).encode()));
      return Await.result(frame.future());
    } finally {
      Await.result(socket.close());
    }
  }
}
