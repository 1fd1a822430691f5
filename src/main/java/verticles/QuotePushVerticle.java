package verticles;

import cache.QuoteCache;
import cache.QuoteLookup;
import cache.RedisCache;
import contract.Addresses;
import contract.ConfigKeys;
import domain.Caller;
import domain.ErrorCode;
import domain.Violation;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import metrics.Meters;
import metrics.MetricsRegistry;
import node.BoundPorts;
import push.ConnectionSlots;
import push.QuoteHub;
import push.QuoteProtocol;
import security.AccessControl;
import security.ClientAddresses;
import security.Origins;
import security.Tls;
import security.Tokens;
import settings.QuotePushSettings;
import settings.WebSocketSettings;
import store.PgPools;
import store.QuoteStore;

/**
 * WebSocket {@code /ws/quotes} on its own port (PUSH_HTTP_PORT): snapshots on subscribe, then every
 * change of a subscribed symbol, conflated per connection (see {@link push.QuoteHub}). Fresh quotes
 * come from {@code quotes.updated}, which the price consumers publish to every push verticle on
 * every node. {@code GET /ws/stats} reports connections, held (slow) clients and conflation counts,
 * to staff.
 */
public final class QuotePushVerticle extends VerticleBase {
  private static final int SEND_BUFFER_BYTES = 32 * 1024;
  public static final String STATS_PATH = "/ws/stats";
  private static final int HARD_LIMIT_FACTOR = 4;
  private static final long METER_SAMPLE_MS = 2_000;

  private Pool pool;
  private RedisCache redis;
  private QuoteHub hub;
  private HttpServer server;
  private long heartbeatTimer;
  private Origins origins;
  private AccessControl access;
  private ClientAddresses clients;
  private ConnectionSlots slots;
  private QuotePushSettings settings;

  @Override
  public Future<?> start() {
    settings = QuotePushSettings.from(config());
    WebSocketSettings limits = settings.webSocket();
    pool = PgPools.create(vertx, config());
    redis = RedisCache.create(vertx, config(), "quote push");
    origins = Origins.of(limits.allowedOrigins());
    access = AccessControl.pushPort(vertx, config());
    clients = ClientAddresses.trusting(settings.trustedProxies());
    slots = new ConnectionSlots(limits.maxConnections(), limits.maxConnectionsPerClient());
    heartbeatTimer =
        vertx.setPeriodic(limits.pingIntervalMs(), id -> hub.heartbeat(limits.pingIntervalMs()));
    sampleMeters();
    int maxMessageBytes = limits.maxMessageBytes();
    hub =
        new QuoteHub(
            new QuoteLookup(new QuoteCache(redis), new QuoteStore(pool)),
            limits.maxSymbols(),
            maxMessageBytes,
            task -> context.runOnContext(v -> task.run()));
    // Up to the limit a message is read; up to 4 times it gets an error frame; past that the socket
    // drops
    server =
        vertx
            .createHttpServer(
                Tls.apply(
                    new HttpServerOptions()
                        .setMaxWebSocketMessageSize(HARD_LIMIT_FACTOR * maxMessageBytes)
                        .setMaxWebSocketFrameSize(HARD_LIMIT_FACTOR * maxMessageBytes)
                        .setWebSocketClosingTimeout(5)
                        .setWebSocketSubProtocols(List.of(Tokens.WEBSOCKET_BEARER))
                        // A small kernel buffer per client: a slow reader's backlog stays small, so
                        // its quotes are
                        // conflated (the latest kept) instead of queueing stale ones for seconds.
                        .setSendBufferSize(SEND_BUFFER_BYTES),
                    config()))
            .webSocketHandshakeHandler(this::handshake)
            .requestHandler(this::request);
    return vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.QUOTES_UPDATED, message -> hub.publish(message.body()))
        .completion()
        .compose(v -> server.listen(BoundPorts.listenPort(settings.port(), 2), settings.host()))
        .onSuccess(
            listening ->
                BoundPorts.record(vertx, ConfigKeys.PUSH_HTTP_PORT, listening.actualPort()));
  }

  /**
   * The hub's counts, read on its own event loop every few seconds: the scrape never walks its
   * connections.
   */
  private void sampleMeters() {
    AtomicLong connections = Meters.gauge(Meters.WS_CONNECTIONS, "open /ws/quotes connections");
    AtomicLong symbols =
        Meters.gauge(Meters.WS_SUBSCRIPTIONS, "symbols with at least one subscriber");
    AtomicLong conflated = new AtomicLong();
    FunctionCounter.builder(Meters.WS_CONFLATED, conflated, AtomicLong::doubleValue)
        .description("quotes replaced by a fresher one before a slow client could take them")
        .register(MetricsRegistry.get());
    vertx.setPeriodic(
        METER_SAMPLE_MS,
        id -> {
          JsonObject stats = hub.stats();
          connections.set(stats.getLong("connections"));
          symbols.set(stats.getLong("symbols"));
          conflated.set(stats.getLong("conflated_quotes_total"));
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    return server.close().eventually(redis::close).eventually(pool::close);
  }

  /**
   * Refused before the upgrade: other paths (404), a browser page from an origin not allowed (403),
   * no valid bearer token when reads need one (401), connections past WS_MAX_CONNECTIONS_PER_CLIENT
   * of its client (429) and past WS_MAX_CONNECTIONS (503). The client is the token's subject, else
   * its address ({@link ClientAddresses}).
   */
  private void handshake(ServerWebSocketHandshake handshake) {
    if (!QuoteProtocol.PATH.equals(handshake.path())) {
      handshake.reject(404);
    } else if (!origins.allows(
        handshake.headers().get("Origin"),
        handshake.headers().get("Host"),
        handshake.isSsl(),
        apiPort())) {
      handshake.reject(403);
    } else {
      access
          .admit(
              AccessControl.PUSH_PORT.get(QuoteProtocol.PATH), authorization(handshake.headers()))
          .onSuccess(
              caller ->
                  accept(
                      handshake, clientOf(caller, handshake.remoteAddress(), handshake.headers())))
          .onFailure(refused -> handshake.reject(((AccessControl.Refused) refused).status()));
    }
  }

  /**
   * The API port (bound in this JVM, else as configured): the dashboard page served there opens
   * this port.
   */
  private int apiPort() {
    Integer bound = BoundPorts.bound(vertx, ConfigKeys.HTTP_PORT);
    return bound != null ? bound : settings.apiPort();
  }

  private void accept(ServerWebSocketHandshake handshake, String client) {
    switch (slots.take(client)) {
      case SERVER_FULL -> handshake.reject(503);
      case CLIENT_FULL -> handshake.reject(429);
      case TAKEN ->
          handshake
              .accept()
              .onSuccess(socket -> hub.open(socket, () -> slots.release(client)))
              .onFailure(e -> slots.release(client));
    }
  }

  private String clientOf(Caller caller, SocketAddress peer, MultiMap headers) {
    return caller.subject() != null ? "sub:" + caller.subject() : clients.clientOf(peer, headers);
  }

  private static String authorization(MultiMap headers) {
    return Tokens.authorization(
        headers.get("Authorization"), headers.get("Sec-WebSocket-Protocol"));
  }

  /** {@value #STATS_PATH}, for staff (ops:read or admin); every other request is a 404. */
  private void request(HttpServerRequest request) {
    if (!STATS_PATH.equals(request.path())) {
      answer(
          request,
          404,
          Violation.of(
              ErrorCode.NOT_FOUND,
              null,
              "this port serves the WebSocket "
                  + QuoteProtocol.PATH
                  + " and "
                  + STATS_PATH
                  + " only"));
      return;
    }
    request.pause();
    access
        .admit(AccessControl.PUSH_PORT.get(STATS_PATH), request.getHeader("Authorization"))
        .onComplete(
            admitted -> {
              request.resume();
              if (admitted.succeeded()) {
                request
                    .response()
                    .putHeader("content-type", "application/json")
                    .end(hub.stats().encode());
              } else if (((AccessControl.Refused) admitted.cause()).status() == 401) {
                answer(
                    request,
                    401,
                    Violation.of(
                        ErrorCode.UNAUTHORIZED,
                        "Authorization",
                        "a valid bearer token is required"));
              } else {
                answer(
                    request,
                    403,
                    Violation.of(
                        ErrorCode.FORBIDDEN,
                        "Authorization",
                        STATS_PATH + " needs ops:read or admin"));
              }
            });
  }

  private static void answer(HttpServerRequest request, int status, Violation violation) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("error", violation.code().name())
                .put("message", violation.message())
                .put("field", violation.field())
                .encode());
  }
}
