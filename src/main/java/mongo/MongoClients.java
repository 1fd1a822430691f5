package mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import contract.ConfigKeys;
import internals.VertxInternals;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.codecs.configuration.CodecRegistries;

/** MongoDB client settings shared by the audit writer and the audit queries. */
public final class MongoClients {
  /**
   * The driver waits 30 s by default to find a server (and to connect): while MongoDB is down,
   * every audit write and query would hang that long. They fail after this instead (the writer
   * retries, queries answer 503); {@code serverSelectionTimeoutMS} and {@code connectTimeoutMS} in
   * the connection string take precedence.
   */
  private static final int FAIL_FAST_MS = 2_000;

  private MongoClients() {}

  /**
   * With the driver's own asynchronous transport (NIO2) instead of the Netty one the Vert.x client
   * picks by default: the Netty transport writes BSON byte by byte into a reference-counted buffer,
   * checking it at every byte, and that encoding was the larger part of the audit's CPU under load
   * (see BENCHMARKS.md).
   */
  public static MongoClient create(Vertx vertx, JsonObject config) {
    return MongoClient.createWithMongoSettings(
        vertx, settings(config), "mongo-" + UUID.randomUUID(), driverSettings(config));
  }

  /** One client shared by every instance of a verticle (by name). */
  public static MongoClient shared(Vertx vertx, JsonObject config, String name) {
    return MongoClient.createWithMongoSettings(
        vertx, settings(config), name, driverSettings(config));
  }

  /**
   * The driver's own reactive client, with the same settings, for the one hot path that encodes its
   * BSON itself: the audit writer's bulk inserts ({@link AuditBson}).
   */
  public static com.mongodb.reactivestreams.client.MongoClient driver(JsonObject config) {
    return com.mongodb.reactivestreams.client.MongoClients.create(
        failFast(config, MongoClientSettings.builder()));
  }

  private static MongoClientSettings driverSettings(JsonObject config) {
    // The Vert.x client's JSON codec must come first, as its own settings parser puts it.
    return failFast(
        config,
        MongoClientSettings.builder()
            .codecRegistry(
                CodecRegistries.fromRegistries(
                    CodecRegistries.fromCodecs(VertxInternals.mongoJsonCodec(config)),
                    MongoClientSettings.getDefaultCodecRegistry())));
  }

  private static MongoClientSettings failFast(
      JsonObject config, MongoClientSettings.Builder builder) {
    ConnectionString connection =
        new ConnectionString(config.getString(ConfigKeys.MONGO_CONNECTION_STRING));
    builder.applyConnectionString(connection);
    if (connection.getServerSelectionTimeout() == null) {
      builder.applyToClusterSettings(
          cluster -> cluster.serverSelectionTimeout(FAIL_FAST_MS, TimeUnit.MILLISECONDS));
    }
    if (connection.getConnectTimeout() == null) {
      builder.applyToSocketSettings(
          socket -> socket.connectTimeout(FAIL_FAST_MS, TimeUnit.MILLISECONDS));
    }
    return builder.build();
  }

  public static String database(JsonObject config) {
    return config.getString(ConfigKeys.MONGO_DATABASE);
  }

  private static JsonObject settings(JsonObject config) {
    String uri = config.getString(ConfigKeys.MONGO_CONNECTION_STRING);
    ConnectionString parsed = new ConnectionString(uri);
    JsonObject settings =
        new JsonObject().put("connection_string", uri).put("db_name", database(config));
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
