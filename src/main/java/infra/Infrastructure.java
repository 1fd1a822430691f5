package infra;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** Connection settings of the servers this fixture provides, as config keys the service reads. */
public interface Infrastructure extends AutoCloseable {
  String PG_URI = "PG_URI"; // postgresql://user:pass@127.0.0.1:port/dbname
  String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS"; // 127.0.0.1:port
  String MONGO_CONNECTION_STRING = "MONGO_CONNECTION_STRING"; // mongodb://127.0.0.1:port
  String REDIS_CONNECTION_STRING = "REDIS_CONNECTION_STRING"; // redis://127.0.0.1:port

  /** The four a deployment must set (outside dev mode a blank one stops startup). */
  List<String> CONNECTION_KEYS =
      List.of(PG_URI, KAFKA_BOOTSTRAP_SERVERS, MONGO_CONNECTION_STRING, REDIS_CONNECTION_STRING);

  /** Only the keys of the servers this instance started, e.g. {"PG_URI": "...", ...}. */
  JsonObject connectionConfig();

  /**
   * Where embedded servers keep their data, for dev mode's other files that live as long as it (the
   * ledger's signing keys); null when this instance started none.
   */
  default Path dataDirectory() {
    return null;
  }

  /**
   * Whether the data directory is kept between runs (EMBEDDED_KEEP_DATA), not wiped at every start.
   */
  default boolean keepsData() {
    return false;
  }

  /*
   * Fault hooks for the reliability tests. Each blocks until done (a start until the server answers, or fails at a
   * deadline), does nothing when the server already is in the wanted state, logs how long it took, and keeps the
   * server's address: clients reconnect to the same place. Blocking: call them from a test or worker thread.
   */

  /** Stop the broker, keep its data. */
  void stopKafka();

  /** Start it again on the same port and data. */
  void startKafka();

  /** Stop PostgreSQL (every connection is closed), keep its data. */
  void stopPostgres();

  /**
   * Crash PostgreSQL: SIGKILL of the postmaster (the container's main process under Docker). No
   * shutdown checkpoint; {@link #startPostgres()} then runs crash recovery. Acknowledged commits
   * survive.
   */
  void killPostgres();

  /**
   * Start it again on the same port and data (after a kill: crash recovery); returns once it
   * accepts connections.
   */
  void startPostgres();

  /**
   * Stop Redis. It is a cache, kept in memory only: its data is lost, the restarted server is
   * empty.
   */
  void stopRedis();

  /** Start it again, empty, on the same port; returns once it answers. */
  void startRedis();

  /** Stop MongoDB (open connections are closed, new ones refused), keep its documents. */
  void stopMongo();

  /** Start it again on the same port with the same documents. */
  void startMongo();

  /** Stop everything this instance started, no checked exception. */
  @Override
  void close();
}
