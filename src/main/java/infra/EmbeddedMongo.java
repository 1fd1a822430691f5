package infra;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB stand-in (mongo-java-server, in memory) on 127.0.0.1: it speaks the wire protocol to the real driver,
 * but has no $text search, and no change streams (its oplog is off: it would grow without bound in memory).
 */
final class EmbeddedMongo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongo.class);
  private final MongoServer server;

  private EmbeddedMongo(MongoServer server) {
    this.server = server;
  }

  static EmbeddedMongo start() {
    long started = System.nanoTime();
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind(FreePort.LOOPBACK, 0);
    EmbeddedMongo mongo = new EmbeddedMongo(server);
    LOG.info("Embedded MongoDB stand-in (mongo-java-server, in memory) started on {} in {} ms",
        mongo.connectionString(), Millis.since(started));
    return mongo;
  }

  String connectionString() {
    return "mongodb://" + FreePort.LOOPBACK + ":" + server.getLocalAddress().getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
