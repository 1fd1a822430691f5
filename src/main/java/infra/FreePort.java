package infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks a port that is free on the loopback interface, the only one the embedded servers listen on. */
final class FreePort {
  static final String LOOPBACK = "127.0.0.1";

  private FreePort() {
  }

  /** A port the OS just handed out; another process could take it before we bind, which is rare enough here. */
  static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + LOOPBACK, e);
    }
  }

  /**
   * {@code wanted} if it is a real port, else a free one. A wanted port that is taken fails here, with a clear
   * message, rather than as a bind error deep in the server (or a long wait for a server that is not ours).
   */
  static int orFree(int wanted, String server) {
    if (wanted <= 0) {
      return pick();
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), wanted));
      return wanted;
    } catch (IOException e) {
      throw new IllegalStateException(server + " port " + wanted + " on " + LOOPBACK + " is in use by another process", e);
    }
  }
}
