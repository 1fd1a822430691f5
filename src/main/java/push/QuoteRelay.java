package push;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.HostAndPort;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/quotes} on the API port, for seed 003's clients, which connect to the API itself. The
 * push role still owns the protocol: each connection is relayed, frame for frame, to a push server
 * (this JVM's, or API_WS_UPSTREAM), which subscribes, snapshots, conflates and enforces the limits
 * as for a client of its own port. Back-pressure crosses the relay: while one side's write queue is
 * full, the other side is not read, so a slow client fills the push server's queue and gets
 * conflated quotes. The relay pings its client itself: the push server's pings are answered by the
 * relay, so a client that vanished without closing would otherwise hold both connections until TCP
 * gives up.
 */
public final class QuoteRelay {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteRelay.class);

  /** Why a connection was not relayed; the HTTP edge answers it as an error with its status. */
  public static final class NotRelayed extends RuntimeException {
    private final int status;

    NotRelayed(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }

    /**
     * 400 for a request that is no WebSocket upgrade; the push server's refusal of this client
     * (401, 403, 429: its token, its origin, its connections); 503 when no push server took it
     * (retry later).
     */
    public int status() {
      return status;
    }
  }

  private static final Buffer PING = Buffer.buffer("ping");

  private final Vertx vertx;
  private final WebSocketClient client;
  private final long pingIntervalMs;
  private final Supplier<HostAndPort> upstream;

  /**
   * @param pingIntervalMs how often a relayed client is pinged; silent for two intervals, it is
   *     closed
   * @param upstream the push server to relay to, or null when there is none to reach
   */
  public QuoteRelay(
      Vertx vertx, int maxMessageBytes, long pingIntervalMs, Supplier<HostAndPort> upstream) {
    this.vertx = vertx;
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxMessageSize(Math.max(maxMessageBytes, 1 << 20))
                .setMaxFrameSize(Math.max(maxMessageBytes, 1 << 20))
                .setMaxConnections(Integer.MAX_VALUE));
    this.pingIntervalMs = pingIntervalMs;
    this.upstream = upstream;
  }

  /**
   * Upgrades the request once the push server accepted the relayed connection (with the same
   * query).
   */
  public Future<Void> relay(HttpServerRequest request) {
    if (!"websocket".equalsIgnoreCase(request.getHeader("upgrade"))) {
      return Future.failedFuture(
          new NotRelayed(QuoteProtocol.PATH + " takes WebSocket upgrades only", 400));
    }
    HostAndPort target = upstream.get();
    if (target == null) {
      return Future.failedFuture(
          new NotRelayed("no push server to relay " + QuoteProtocol.PATH + " to", 503));
    }
    request.pause();
    return client
        .connect(upstream(target, request))
        .recover(e -> Future.failedFuture(refused(e)))
        .compose(
            pushSide ->
                request
                    .toWebSocket()
                    .onSuccess(
                        clientSide -> {
                          pipe(clientSide, pushSide);
                          pipe(pushSide, clientSide);
                          watch(clientSide);
                        })
                    .onFailure(e -> pushSide.close())
                    .mapEmpty());
  }

  /**
   * The same query; the client's token, which the push server checks too and counts the client's
   * connections by; and the client's address appended to {@code X-Forwarded-For}, which the push
   * server believes when this node is one of its TRUSTED_PROXIES. No {@code Origin}: the API port
   * checked the browser's, and the client's own would name this node, which WS_ALLOWED_ORIGINS does
   * not list.
   */
  private static WebSocketConnectOptions upstream(HostAndPort target, HttpServerRequest request) {
    String forwarded = request.getHeader("X-Forwarded-For");
    String peer = request.remoteAddress().hostAddress();
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(target.host())
            .setPort(target.port())
            .setURI(request.uri())
            .setAllowOriginHeader(false)
            .addHeader("X-Forwarded-For", forwarded == null ? peer : forwarded + ", " + peer);
    String authorization = request.getHeader("Authorization");
    return authorization == null ? options : options.addHeader("Authorization", authorization);
  }

  private static NotRelayed refused(Throwable failure) {
    int status = failure instanceof UpgradeRejectedException rejected ? rejected.getStatus() : 503;
    return status == 401 || status == 403 || status == 429
        ? new NotRelayed("the push server refused this client (" + status + ")", status)
        : new NotRelayed("the push server refused the connection: " + failure.getMessage(), 503);
  }

  public Future<Void> close() {
    return client.close();
  }

  /**
   * Pings the client; one that sent no pong for two intervals is closed (and the pipe closes the
   * push side).
   */
  private void watch(ServerWebSocket clientSide) {
    AtomicLong lastPong = new AtomicLong(System.currentTimeMillis());
    clientSide.pongHandler(pong -> lastPong.set(System.currentTimeMillis()));
    vertx.setPeriodic(
        pingIntervalMs,
        timer -> {
          if (clientSide.isClosed()) {
            vertx.cancelTimer(timer);
          } else if (System.currentTimeMillis() - lastPong.get() > 2 * pingIntervalMs) {
            vertx.cancelTimer(timer);
            LOG.info(
                "Closing relayed WebSocket {}: no pong for {} ms",
                clientSide.remoteAddress(),
                System.currentTimeMillis() - lastPong.get());
            clientSide.close((short) 1001, "heartbeat timeout");
          } else {
            clientSide.writePing(PING);
          }
        });
  }

  /**
   * Messages from one side to the other, pausing the source while the destination's queue is full.
   */
  private static void pipe(WebSocketBase from, WebSocketBase to) {
    from.textMessageHandler(
        text -> {
          to.writeTextMessage(text);
          pauseIfFull(from, to);
        });
    from.binaryMessageHandler(
        bytes -> {
          to.writeBinaryMessage(bytes);
          pauseIfFull(from, to);
        });
    to.drainHandler(v -> from.resume());
    from.closeHandler(
        v -> {
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
