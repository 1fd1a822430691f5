package infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ports on the loopback interface, the only one the embedded servers listen on. A port is picked
 * free here and bound later by the server, so another process can take it in between: {@link #bind}
 * then tries new ones.
 */
final class FreePort {
  static final String LOOPBACK = "127.0.0.1";
  private static final int BIND_ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(FreePort.class);

  private FreePort() {}

  /**
   * Starts a server on the given ports; fails with a {@link BindException} among its causes when
   * one was taken.
   */
  interface Binding<T> {
    T start(int[] ports) throws Exception;
  }

  /** A port the OS just handed out. */
  static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + LOOPBACK, e);
    }
  }

  /** {@link #bind(String, IntSupplier, Binding, int...)} with ports picked by the OS. */
  static <T> T bind(String server, Binding<T> start, int... wanted) throws Exception {
    return bind(server, FreePort::pick, start, wanted);
  }

  /**
   * Starts {@code server} on the {@code wanted} ports, each 0 replaced by one from {@code picks}.
   * When the start fails because a port was taken and some port was picked here, it starts again on
   * newly picked ports, up to {@value #BIND_ATTEMPTS} times. A wanted (configured) port is never
   * replaced: it must be free, checked first.
   */
  static <T> T bind(String server, IntSupplier picks, Binding<T> start, int... wanted)
      throws Exception {
    boolean picked = Arrays.stream(wanted).anyMatch(port -> port <= 0);
    Arrays.stream(wanted).filter(port -> port > 0).forEach(port -> requireFree(port, server));
    for (int attempt = 1; ; attempt++) {
      int[] ports = Arrays.stream(wanted).map(port -> port > 0 ? port : picks.getAsInt()).toArray();
      try {
        return start.start(ports);
      } catch (Exception e) {
        if (!picked || attempt == BIND_ATTEMPTS || !portTaken(e)) {
          throw e;
        }
        LOG.warn(
            "{}: a port of {} was taken before the server bound it; trying new ports (attempt {} of"
                + " {})",
            server,
            Arrays.toString(ports),
            attempt + 1,
            BIND_ATTEMPTS);
      }
    }
  }

  private static boolean portTaken(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A configured port that is taken fails here, with a clear message, rather than as a bind error
   * deep in the server (or a long wait for a server that is not ours).
   */
  private static void requireFree(int port, String server) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
    } catch (IOException e) {
      throw new IllegalStateException(
          server + " port " + port + " on " + LOOPBACK + " is in use by another process", e);
    }
  }
}
