package support;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import push.QuoteProtocol;

/** The quotes WebSocket from a client's side, for tests that only need to know it answers. */
public final class QuoteSockets {
  private QuoteSockets() {}

  /**
   * Connects to {@code /ws/quotes} on {@code port} with an operator's token, subscribes to {@code
   * symbol}, and returns the first frame.
   */
  public static JsonObject firstFrameAfterSubscribing(Vertx vertx, int port, String symbol) {
    return firstFrameAfterSubscribing(
        vertx, TestInfra.socketWithToken(vertx, port, QuoteProtocol.PATH), symbol);
  }

  /** The status an upgrade was refused with before it happened; fails when it was accepted. */
  public static int rejection(io.vertx.core.Future<WebSocket> attempt) {
    Throwable failure =
        Await.result(
            attempt.transform(
                done ->
                    done.succeeded()
                        ? io.vertx.core.Future.failedFuture(
                            new AssertionError("the upgrade was accepted"))
                        : io.vertx.core.Future.succeededFuture(done.cause())));
    if (!(failure instanceof io.vertx.core.http.UpgradeRejectedException rejected)) {
      throw new AssertionError("not refused before the upgrade: " + failure, failure);
    }
    return rejected.getStatus();
  }

  /** The same, connecting as {@code options} say (a token of the service's own, say). */
  public static JsonObject firstFrameAfterSubscribing(
      Vertx vertx, WebSocketConnectOptions options, String symbol) {
    WebSocket socket = Await.result(vertx.createWebSocketClient().connect(options));
    try {
      Promise<JsonObject> frame = Promise.promise();
      socket.textMessageHandler(text -> frame.tryComplete(new JsonObject(text)));
      Await.result(
          socket.writeTextMessage(
              new JsonObject()
                  .put("type", "subscribe")
                  .put("symbols", new JsonArray().add(symbol))
                  .encode()));
      return Await.result(frame.future());
    } finally {
      Await.result(socket.close());
    }
  }
}
