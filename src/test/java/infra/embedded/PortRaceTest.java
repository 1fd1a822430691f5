package infra.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A port picked free may be taken by another process before the server binds it. Each server that
 * must be given a port then starts on a new one. The race is forced: the first port handed out is
 * held by a socket of the test.
 */
@Tag("integration")
class PortRaceTest {
  private final Path dir =
      Path.of("target", "port-race", UUID.randomUUID().toString()).toAbsolutePath();
  private final ServerSocket thief = listenOnAnyPort();

  @AfterEach
  void cleanUp() throws IOException {
    thief.close();
    DataDirectory.wipe(dir);
  }

  @Test
  void redisMovesToAnotherPort() throws Exception {
    Picks picks = new Picks(thief.getLocalPort());
    try (EmbeddedRedis redis = EmbeddedRedis.start(dir.resolve("redis"), picks)) {
      assertEquals(2, picks.handedOut.get(), "one retry");
      assertFalse(
          redis.connectionString().endsWith(":" + thief.getLocalPort()), redis.connectionString());
    }
  }

  @Test
  void postgresMovesToAnotherPort() throws Exception {
    Picks picks = new Picks(thief.getLocalPort());
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.start(dir.resolve("postgres"), 0, true, false, picks)) {
      assertEquals(2, picks.handedOut.get(), "one retry");
      assertFalse(postgres.uri().contains(":" + thief.getLocalPort() + "/"), postgres.uri());
    }
  }

  @Test
  void kafkaMovesItsControllerToAnotherPort() throws Exception {
    Picks picks =
        new Picks(FreePort.pick(), thief.getLocalPort()); // client port free, controller port taken
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, true, picks)) {
      assertEquals(4, picks.handedOut.get(), "one retry, two ports each");
    }
  }

  /** Hands out the given ports first, then free ones, and counts them. */
  private static final class Picks implements IntSupplier {
    private final Deque<Integer> first = new ArrayDeque<>();
    private final AtomicInteger handedOut = new AtomicInteger();

    Picks(int... ports) {
      for (int port : ports) {
        first.add(port);
      }
    }

    @Override
    public int getAsInt() {
      handedOut.incrementAndGet();
      return first.isEmpty() ? FreePort.pick() : first.poll();
    }
  }

  private static ServerSocket listenOnAnyPort() {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(FreePort.LOOPBACK), 0));
      return socket;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
