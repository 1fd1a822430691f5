package push;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.HostAndPort;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/quotes} on the API port, for seed 003's clients, which connect to the API itself. The push
 * role still owns the protocol: each connection is relayed, frame for frame, to a push server (this
 * JVM's, or API_WS_UPSTREAM), which subscribes, snapshots, conflates and enforces the limits as for a
 * client of its own port. Back-pressure crosses the relay: while one side's write queue is full, the
 * other side is not read, so a slow client fills the push server's queue and gets conflated quotes.
 * The push server's refusal (a full server: 503) is passed on at the handshake.
 */
public final class QuoteRelay {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteRelay.class);

  private final WebSocketClient client;
  private final Supplier<HostAndPort> upstream;

  /** @param upstream the push server to relay to, or null when there is none to reach */
  public QuoteRelay(Vertx vertx, int maxMessageBytes, Supplier<HostAndPort> upstream) {
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxMessageSize(Math.max(maxMessageBytes, 1 << 20)).setMaxFrameSize(Math.max(maxMessageBytes, 1 << 20))
        .setMaxConnections(Integer.MAX_VALUE));
    this.upstream = upstream;
  }

  /** Accepts the client once the push server accepted the relayed connection; other paths get 404. */
  public void handshake(ServerWebSocketHandshake handshake) {
    HostAndPort target = QuoteProtocol.PATH.equals(handshake.path()) ? upstream.get() : null;
    if (target == null) {
      handshake.reject(QuoteProtocol.PATH.equals(handshake.path()) ? 503 : 404);
      return;
    }
    client.connect(new WebSocketConnectOptions().setHost(target.host()).setPort(target.port()).setURI(handshake.uri()))
        .onFailure(e -> {
          LOG.warn("Quote relay to {} refused: {}", target, e.getMessage());
          handshake.reject(e instanceof UpgradeRejectedException rejected ? rejected.getStatus() : 503);
        })
        .onSuccess(pushSide -> handshake.accept()
            .onSuccess(clientSide -> {
              relay(clientSide, pushSide);
              relay(pushSide, clientSide);
            })
            .onFailure(e -> pushSide.close()));
  }

  public io.vertx.core.Future<Void> close() {
    return client.close();
  }

  /** Messages from one side to the other, pausing the source while the destination's queue is full. */
  private static void relay(WebSocketBase from, WebSocketBase to) {
    from.textMessageHandler(text -> {
      to.writeTextMessage(text);
      pauseIfFull(from, to);
    });
    from.binaryMessageHandler(bytes -> {
      to.writeBinaryMessage(bytes);
      pauseIfFull(from, to);
    });
    to.drainHandler(v -> from.resume());
    from.closeHandler(v -> {
      if (!to.isClosed()) {
        to.close();
      }
    });
  }

  private static void pauseIfFull(WebSocketBase from, WebSocketBase to) {
    if (to.writeQueueFull()) {
      from.pause();
    }
  }
}
