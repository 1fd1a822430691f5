package store;

import app.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** MongoDB client settings shared by the audit writer and the audit queries. */
public final class MongoClients {
  private MongoClients() {}

  public static MongoClient create(Vertx vertx, JsonObject config) {
    return MongoClient.create(vertx, settings(config));
  }

  /** One client shared by every instance of a verticle (by name). */
  public static MongoClient shared(Vertx vertx, JsonObject config, String name) {
    return MongoClient.createShared(vertx, settings(config), name);
  }

  private static JsonObject settings(JsonObject config) {
    return new JsonObject()
        .put("connection_string", config.getString(ConfigKeys.MONGO_CONNECTION_STRING))
        .put("db_name", config.getString(ConfigKeys.MONGO_DATABASE, "tradestore"))
        // Fail fast when MongoDB is down: the audit writer retries, and queries report 503.
        .put("serverSelectionTimeoutMS", 2_000)
        .put("connectTimeoutMS", 2_000);
  }
}
