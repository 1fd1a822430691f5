package infra;

import io.vertx.core.json.JsonObject;

/** Connection settings of the servers this fixture provides, as config keys the service reads. */
public interface Infrastructure extends AutoCloseable {
  String PG_URI = "PG_URI";                                   // postgresql://user:pass@127.0.0.1:port/dbname
  String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS"; // 127.0.0.1:port
  String MONGO_CONNECTION_STRING = "MONGO_CONNECTION_STRING"; // mongodb://127.0.0.1:port
  String REDIS_CONNECTION_STRING = "REDIS_CONNECTION_STRING"; // redis://127.0.0.1:port

  /** Only the keys of the servers this instance started, e.g. {"PG_URI": "...", ...}. */
  JsonObject connectionConfig();

  /** Stop the broker, keep its data. */
  void stopKafka();

  /** Start it again on the same port and data. */
  void startKafka();

  /** Stop everything this instance started, no checked exception. */
  @Override
  void close();
}
