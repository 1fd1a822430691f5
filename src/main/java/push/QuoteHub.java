package push;

import cache.QuoteLookup;
import codec.QuoteJson;
import domain.ErrorCode;
import domain.QuoteSymbols;
import domain.Tick;
import domain.ViolationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one push verticle: commands from clients, snapshots, fan-out of fresh quotes
 * and heartbeats. Memory per connection is bounded by its symbol limit whatever the client does: at
 * most one held quote per subscribed symbol, and at most one snapshot request in flight. Snapshot
 * reads of many connections are coalesced ({@link SnapshotReads}); a connection whose read fails
 * gets an error frame and keeps receiving updates.
 *
 * <p>Fan-out is smart-batched like the database writes: a publish only stages quotes and marks
 * their connections dirty; one drain task then sends each dirty connection one frame with
 * everything staged for it. Publishes that queue on the event loop while a drain runs are staged
 * before the next drain, so at low load a quote goes out at once and under load frames carry more
 * quotes each instead of the loop falling behind (at 10k clients one frame per connection per
 * publish was more writes than a core can issue).
 */
public final class QuoteHub {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteHub.class);
  private static final Buffer PING = Buffer.buffer("hb");

  private final SnapshotReads snapshotReads;
  private final int maxSymbols;
  private final int maxMessageBytes;
  private final Map<ServerWebSocket, QuoteConnection> connections = new HashMap<>();
  private final Map<QuoteConnection, SnapshotState> snapshots = new HashMap<>();
  private final QuoteSubscribers subscribers = new QuoteSubscribers();
  private final Set<QuoteConnection> dirty = new LinkedHashSet<>();
  private final Executor onLoop;
  private boolean drainScheduled;
  private long drains;
  private long closedByHeartbeat;

  /** Quotes conflated on connections since closed: with the open ones', a total that only grows. */
  private long conflatedOnClosed;

  /** At most one snapshot read per connection; commands meanwhile ask for one more afterwards. */
  private static final class SnapshotState {
    boolean again;
  }

  /**
   * @param onLoop runs a task later on this hub's event loop, after the tasks already queued there
   */
  public QuoteHub(QuoteLookup lookup, int maxSymbols, int maxMessageBytes, Executor onLoop) {
    this.onLoop = onLoop;
    this.snapshotReads = new SnapshotReads(lookup);
    this.maxSymbols = maxSymbols;
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * @param closed runs once when the socket closes (its connection slot is given back)
   */
  public void open(ServerWebSocket socket, Runnable closed) {
    QuoteConnection connection =
        new QuoteConnection(socket, QuoteProtocol.wantsDeltas(socket.query()), now());
    connections.put(socket, connection);
    socket.textMessageHandler(text -> command(connection, text));
    socket.binaryMessageHandler(
        bytes ->
            connection.send(
                QuoteProtocol.error(
                    QuoteProtocol.violation(
                            ErrorCode.MALFORMED_JSON, null, "send JSON text messages, not binary")
                        .violation())));
    socket.pongHandler(pong -> connection.seen(now()));
    socket.exceptionHandler(
        e -> LOG.debug("WebSocket {} error: {}", socket.remoteAddress(), e.getMessage()));
    socket.closeHandler(
        ignored -> {
          close(connection);
          closed.run();
        });
  }

  /** Quotes published by a price consumer, staged for their subscribers until the next drain. */
  public void publish(JsonObject body) {
    JsonObject quotes = body.getJsonObject("quotes", new JsonObject());
    for (String symbol : quotes.fieldNames()) {
      Set<QuoteConnection> following = subscribers.of(symbol);
      if (following.isEmpty()) {
        continue;
      }
      JsonObject quote = quotes.getJsonObject(symbol);
      // encoded once here, not once per subscriber
      QuoteConnection.Staged staged =
          new QuoteConnection.Staged(quote, Json.encode(symbol) + ":" + quote.encode());
      for (QuoteConnection connection : following) {
        connection.stage(symbol, staged);
        dirty.add(connection);
      }
    }
    if (!dirty.isEmpty() && !drainScheduled) {
      drainScheduled = true;
      onLoop.execute(this::drain);
    }
  }

  /** One frame per dirty connection, with every quote staged for it since its last frame. */
  private void drain() {
    drainScheduled = false;
    drains++;
    List<QuoteConnection> due = List.copyOf(dirty);
    dirty.clear();
    due.forEach(QuoteConnection::flush);
  }

  /** Pings every client; one silent for two intervals (no pong, no message) is closed as dead. */
  public void heartbeat(long intervalMs) {
    long deadline = now() - 2 * intervalMs;
    for (QuoteConnection connection : List.copyOf(connections.values())) {
      if (connection.lastSeenMs() < deadline) {
        LOG.info(
            "Closing WebSocket {}: no pong for {} ms",
            connection.socket().remoteAddress(),
            now() - connection.lastSeenMs());
        closedByHeartbeat++;
        close(connection);
        connection.socket().close((short) 1001, "heartbeat timeout");
      } else {
        connection.socket().writePing(PING);
      }
    }
  }

  public JsonObject stats() {
    int held = 0;
    int pending = 0;
    int maxPending = 0;
    long conflated = 0;
    long frames = 0;
    for (QuoteConnection connection : connections.values()) {
      held += connection.held() ? 1 : 0;
      pending += connection.pendingCount();
      maxPending = Math.max(maxPending, connection.pendingCount());
      conflated += connection.conflated();
      frames += connection.framesSent();
    }
    return new JsonObject()
        .put("connections", connections.size())
        .put("symbols", subscribers.symbolCount())
        .put("held_connections", held)
        .put("pending_quotes", pending)
        .put("max_pending_per_connection", maxPending)
        .put("conflated_quotes", conflated)
        .put("conflated_quotes_total", conflatedOnClosed + conflated)
        .put("frames_sent", frames)
        .put("drains", drains)
        .put("closed_by_heartbeat", closedByHeartbeat)
        .put("max_symbols_per_connection", maxSymbols)
        .put("snapshot_reads", snapshotReads.reads());
  }

  private void command(QuoteConnection connection, String text) {
    connection.seen(now());
    if (text.length() > maxMessageBytes || utf8Length(text) > maxMessageBytes) {
      connection.send(
          QuoteProtocol.error(
              QuoteProtocol.violation(
                      ErrorCode.PAYLOAD_TOO_LARGE,
                      null,
                      "messages are limited to " + maxMessageBytes + " bytes")
                  .violation()));
      return;
    }
    QuoteProtocol.Command command;
    try {
      command = QuoteProtocol.parse(text, maxSymbols);
    } catch (ViolationException e) {
      connection.send(QuoteProtocol.error(e.violation()));
      return;
    }
    switch (command.kind()) {
      case SUBSCRIBE -> {
        Set<String> after = new LinkedHashSet<>(connection.symbols());
        after.addAll(command.symbols());
        if (after.size() > maxSymbols) {
          connection.send(
              QuoteProtocol.error(QuoteSymbols.tooMany(after.size(), maxSymbols).violation()));
          return;
        }
        subscribers.add(connection, command.symbols());
      }
      case UPDATE -> {
        Set<String> dropped = new LinkedHashSet<>(connection.symbols());
        command.symbols().forEach(dropped::remove);
        subscribers.remove(connection, dropped);
        subscribers.add(connection, command.symbols());
      }
      case UNSUBSCRIBE -> subscribers.remove(connection, command.symbols());
    }
    snapshot(connection);
  }

  private void snapshot(QuoteConnection connection) {
    SnapshotState inFlight = snapshots.get(connection);
    if (inFlight != null) {
      inFlight.again = true;
      return;
    }
    SnapshotState state = new SnapshotState();
    snapshots.put(connection, state);
    connection.startSnapshot();
    snapshotReads
        .latest(List.copyOf(connection.symbols()))
        .onComplete(
            done -> {
              snapshots.remove(connection);
              if (!connections.containsKey(connection.socket())) {
                return;
              }
              if (state.again) {
                snapshot(connection);
              } else if (done.succeeded()) {
                connection.finishSnapshot(quotesJson(done.result()));
              } else {
                LOG.warn(
                    "Snapshot for WebSocket {} failed: {}",
                    connection.socket().remoteAddress(),
                    done.cause().getMessage());
                connection.send(
                    QuoteProtocol.error(
                        QuoteProtocol.violation(
                                ErrorCode.SERVICE_UNAVAILABLE,
                                null,
                                "quotes are temporarily unavailable; updates continue")
                            .violation()));
                connection.abandonSnapshot();
              }
            });
  }

  private static JsonObject quotesJson(Map<String, Tick> quotes) {
    return QuoteJson.toJson(quotes);
  }

  private void close(QuoteConnection connection) {
    if (connections.remove(connection.socket()) != null) {
      conflatedOnClosed += connection.conflated();
      subscribers.removeAll(connection);
      snapshots.remove(connection);
      dirty.remove(connection);
    }
  }

  private static int utf8Length(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private long now() {
    return System.currentTimeMillis();
  }
}
