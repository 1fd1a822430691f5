package push;

import java.util.HashMap;
import java.util.Map;

/**
 * The WebSocket connections one push verticle holds, in total and per client: a slot is taken
 * before the upgrade, so concurrent handshakes cannot pass either limit, and given back when the
 * upgrade fails or the socket closes. Per client, so that one client cannot hold every slot and
 * lock the desks out. Used on its event loop only.
 */
public final class ConnectionSlots {
  /** What a handshake gets. */
  public enum Outcome {
    TAKEN,
    SERVER_FULL,
    CLIENT_FULL
  }

  private final int maxConnections;
  private final int maxPerClient;
  private final Map<String, Integer> held = new HashMap<>();
  private int total;

  public ConnectionSlots(int maxConnections, int maxPerClient) {
    this.maxConnections = maxConnections;
    this.maxPerClient = maxPerClient;
  }

  public Outcome take(String client) {
    if (total >= maxConnections) {
      return Outcome.SERVER_FULL;
    }
    if (held.getOrDefault(client, 0) >= maxPerClient) {
      return Outcome.CLIENT_FULL;
    }
    held.merge(client, 1, Integer::sum);
    total++;
    return Outcome.TAKEN;
  }

  public void release(String client) {
    Integer count = held.get(client);
    if (count == null) {
      return;
    }
    if (count == 1) {
      held.remove(client);
    } else {
      held.put(client, count - 1);
    }
    total--;
  }

  public int total() {
    return total;
  }
}
