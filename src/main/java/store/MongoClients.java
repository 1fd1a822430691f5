package store;

import app.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/** MongoDB client settings shared by the audit writer and the audit queries. */
public final class MongoClients {
  private MongoClients() {}

  public static MongoClient create(Vertx vertx, JsonObject config) {
    return MongoClient.create(vertx, new JsonObject()
        .put("connection_string", config.getString(ConfigKeys.MONGO_CONNECTION_STRING))
        .put("db_name", config.getString(ConfigKeys.MONGO_DATABASE, "tradestore"))
        // Fail fast when MongoDB is down: the audit writer retries, and queries report 503.
        .put("serverSelectionTimeoutMS", 2_000)
        .put("connectTimeoutMS", 2_000));
  }
}
