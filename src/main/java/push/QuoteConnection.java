package push;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One WebSocket subscriber. Every frame carrying quotes is a {@code snapshot} of all its subscribed
 * quotes, as seed 003's clients expect, unless it connected with {@code ?frames=delta}. Fresh
 * quotes are conflated per symbol: while the socket's write queue is full (a slow reader), a newer
 * quote replaces the held one, so what waits is at most one quote per subscribed symbol, and the
 * drain handler sends the latest values. Replies to the client's commands (snapshots, errors) are
 * bounded by no longer reading its commands while the queue is full. Not thread-safe: it lives on
 * the push verticle's event loop.
 */
final class QuoteConnection {
  /**
   * Past this many bytes waiting to be written, quotes are conflated: a slow reader gets fresh
   * values, not old ones.
   */
  private static final int WRITE_QUEUE_BYTES = 16 * 1024;

  private final ServerWebSocket socket;

  /**
   * Opted in to {@code quotes} frames holding the changed quotes only; else every frame is a full
   * snapshot.
   */
  private final boolean deltas;

  private final Set<String> symbols = new LinkedHashSet<>();
  private final Map<String, Staged> pending = new LinkedHashMap<>();

  /**
   * Snapshot mode: the encoded member last sent per subscribed symbol, so each frame carries them
   * all.
   */
  private final Map<String, String> current = new LinkedHashMap<>();

  private boolean awaitingSnapshot;
  private boolean held;
  private long conflated;
  private long framesSent;
  private long lastSeenMs;

  QuoteConnection(ServerWebSocket socket, boolean deltas, long nowMs) {
    this.socket = socket;
    this.deltas = deltas;
    this.lastSeenMs = nowMs;
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    socket.drainHandler(
        ignored -> {
          held = false;
          socket.resume();
          flush();
        });
  }

  ServerWebSocket socket() {
    return socket;
  }

  Set<String> symbols() {
    return symbols;
  }

  /** A fresh quote, with its JSON member {@code "SYMBOL":{…}} encoded once for every subscriber. */
  record Staged(JsonObject quote, String member) {}

  /** Queues a quote of a subscribed symbol; a quote already waiting for it is replaced. */
  void stage(String symbol, Staged quote) {
    if (symbols.contains(symbol) && pending.put(symbol, quote) != null) {
      conflated++;
    }
  }

  /**
   * Sends what waits as one frame, unless the client is not keeping up or a snapshot is on its way:
   * a snapshot of every subscribed quote (seed 003's frame), or the changed quotes alone for a
   * client that opted in to deltas.
   */
  void flush() {
    if (pending.isEmpty() || awaitingSnapshot || socket.isClosed()) {
      return;
    }
    if (socket.writeQueueFull()) {
      held = true;
      return;
    }
    if (deltas) {
      send(QuoteProtocol.quotes(joined(pending.values().stream().map(Staged::member).toList())));
    } else {
      pending.forEach((symbol, staged) -> current.put(symbol, staged.member()));
      send(QuoteProtocol.snapshot(joined(current.values())));
    }
    pending.clear();
  }

  private static CharSequence joined(Iterable<String> members) {
    return String.join(",", members);
  }

  void startSnapshot() {
    awaitingSnapshot = true;
  }

  /**
   * Sends the snapshot, with any quote that arrived meanwhile and is at least as new, then resumes
   * pushing.
   */
  void finishSnapshot(JsonObject snapshot) {
    pending.forEach(
        (symbol, staged) -> {
          JsonObject quote = staged.quote();
          JsonObject known = snapshot.getJsonObject(symbol);
          if (known == null || quote.getLong("timestamp_ms") >= known.getLong("timestamp_ms")) {
            snapshot.put(symbol, quote);
          }
        });
    pending.clear();
    awaitingSnapshot = false;
    JsonObject subscribed = new JsonObject();
    current.clear();
    symbols.forEach(
        symbol -> {
          if (snapshot.containsKey(symbol)) {
            subscribed.put(symbol, snapshot.getValue(symbol));
            current.put(symbol, Json.encode(symbol) + ":" + Json.encode(snapshot.getValue(symbol)));
          }
        });
    send(QuoteProtocol.snapshot(subscribed));
  }

  /** A snapshot could not be read: pushing resumes with what is known. */
  void abandonSnapshot() {
    awaitingSnapshot = false;
    flush();
  }

  void unsubscribed(Set<String> removed) {
    pending.keySet().removeAll(removed);
    current.keySet().removeAll(removed);
  }

  /**
   * Writes a frame. Once the write queue is full, the client's own messages stop being read until
   * it drains: a client that sends commands but never reads their answers cannot grow our memory.
   */
  void send(String frame) {
    framesSent++;
    socket.writeTextMessage(frame);
    if (socket.writeQueueFull()) {
      socket.pause();
    }
  }

  void seen(long nowMs) {
    lastSeenMs = nowMs;
  }

  long lastSeenMs() {
    return lastSeenMs;
  }

  int pendingCount() {
    return pending.size();
  }

  boolean held() {
    return held;
  }

  long conflated() {
    return conflated;
  }

  long framesSent() {
    return framesSent;
  }
}
