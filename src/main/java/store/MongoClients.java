package store;

import app.ConfigKeys;
import com.mongodb.ConnectionString;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** MongoDB client settings shared by the audit writer and the audit queries. */
public final class MongoClients {
  /**
   * The driver waits 30 s by default to find a server (and to connect): while MongoDB is down, every audit write
   * and query would hang that long. They fail after this instead (the writer retries, queries answer 503);
   * {@code serverSelectionTimeoutMS} and {@code connectTimeoutMS} in the connection string take precedence.
   */
  private static final int FAIL_FAST_MS = 2_000;

  private MongoClients() {}

  public static MongoClient create(Vertx vertx, JsonObject config) {
    return MongoClient.create(vertx, settings(config));
  }

  /** One client shared by every instance of a verticle (by name). */
  public static MongoClient shared(Vertx vertx, JsonObject config, String name) {
    return MongoClient.createShared(vertx, settings(config), name);
  }

  private static JsonObject settings(JsonObject config) {
    String uri = config.getString(ConfigKeys.MONGO_CONNECTION_STRING);
    ConnectionString parsed = new ConnectionString(uri);
    JsonObject settings = new JsonObject()
        .put("connection_string", uri)
        .put("db_name", config.getString(ConfigKeys.MONGO_DATABASE, "tradestore"));
    // these keys, when present, win over the connection string's own values
    if (parsed.getServerSelectionTimeout() == null) {
      settings.put("serverSelectionTimeoutMS", FAIL_FAST_MS);
    }
    if (parsed.getConnectTimeout() == null) {
      settings.put("connectTimeoutMS", FAIL_FAST_MS);
    }
    return settings;
  }
}
