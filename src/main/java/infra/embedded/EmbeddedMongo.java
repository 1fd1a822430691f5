package infra.embedded;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB stand-in (mongo-java-server, in memory) on 127.0.0.1: it speaks the wire protocol to
 * the real driver, but has no $text search, and no change streams (its oplog is off: it would grow
 * without bound in memory).
 */
final class EmbeddedMongo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);

  /** Outlives a stop: a server started again serves the same documents. */
  private final KeptBackend backend = new KeptBackend();

  private MongoServer server; // null while stopped
  private int port; // 0 until the first bind chose one

  private EmbeddedMongo() {}

  static EmbeddedMongo start() {
    EmbeddedMongo mongo = new EmbeddedMongo();
    mongo.startServer();
    return mongo;
  }

  /** Binds a new server over the same backend, on the port the first one got. */
  synchronized void startServer() {
    if (server != null) {
      return;
    }
    long started = System.nanoTime();
    server = new MongoServer(backend);
    server.bind(FreePort.LOOPBACK, port);
    port = server.getLocalAddress().getPort();
    LOG.info(
        "Embedded MongoDB stand-in (mongo-java-server, in memory) started on {} in {} ms",
        connectionString(),
        Millis.since(started));
  }

  /** Stops listening and drops every client connection; the documents stay in the backend. */
  synchronized void stopServer() {
    if (server == null) {
      return;
    }
    long started = System.nanoTime();
    server.shutdownNow();
    server = null;
    LOG.info(
        "Embedded MongoDB stand-in on {} stopped in {} ms",
        connectionString(),
        Millis.since(started));
  }

  String connectionString() {
    return "mongodb://" + FreePort.LOOPBACK + ":" + port;
  }

  @Override
  public synchronized void close() {
    stopServer();
    backend.dispose();
  }

  /**
   * MongoServer.shutdown() closes its backend, which empties it; this one keeps its data until
   * disposed.
   */
  private static final class KeptBackend extends MemoryBackend {
    @Override
    public void close() {
      // kept for the next server on the same port: see dispose()
    }

    void dispose() {
      super.close();
    }
  }
}
