package app;

import contract.ConfigKeys;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.util.Arrays;
import messaging.KafkaConfigs;
import settings.SettingsCheck;

/**
 * Loads configuration from explicit stores, later ones winning: the declared defaults ({@link
 * ConfigKeys}), the seeds' environment names ({@link ConfigAliases}), an optional external JSON
 * file (CONFIG_FILE), the environment (the documented keys, and KAFKA_CLIENT_* for the Kafka
 * clients), then overrides given in code (tests). Every setting is then checked and converted to
 * its type ({@link SettingsCheck}).
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<JsonObject> load(Vertx vertx, JsonObject overrides) {
    ConfigRetrieverOptions options =
        new ConfigRetrieverOptions()
            .setScanPeriod(0)
            .addStore(
                new ConfigStoreOptions()
                    .setType("json")
                    .setConfig(new JsonObject(ConfigKeys.defaults())))
            // the seeds' variable names: above the defaults, below the file and our own names
            .addStore(
                new ConfigStoreOptions()
                    .setType("json")
                    .setConfig(ConfigAliases.from(System.getenv())));
    String externalFile = System.getenv(ConfigKeys.CONFIG_FILE);
    if (externalFile != null && !externalFile.isBlank()) {
      options.addStore(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat("json")
              .setConfig(new JsonObject().put("path", externalFile)));
    }
    options.addStore(
        new ConfigStoreOptions()
            .setType("env")
            .setConfig(
                new JsonObject().put("keys", new JsonArray(Arrays.asList(documentedKeys())))));
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(kafkaClientSettings()));
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(overrides));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().andThen(done -> retriever.close()).map(SettingsCheck::checked);
  }

  /**
   * Loads the config before the service's own Vert.x exists (it decides whether that one is
   * clustered), with a short-lived Vert.x of its own.
   */
  public static JsonObject loadOnce() {
    Vertx vertx = Vertx.vertx();
    try {
      return load(vertx, new JsonObject()).await();
    } finally {
      vertx.close();
    }
  }

  /**
   * KAFKA_CLIENT_* variables, passed to every Kafka client as properties (see
   * messaging.KafkaConfigs).
   */
  private static JsonObject kafkaClientSettings() {
    JsonObject settings = new JsonObject();
    System.getenv()
        .forEach(
            (name, value) -> {
              if (name.startsWith(KafkaConfigs.CLIENT_PREFIX)) {
                settings.put(name, value);
              }
            });
    return settings;
  }

  private static Object[] documentedKeys() {
    return ConfigKeys.declared().stream().map(ConfigKeys.Setting::key).toArray();
  }

  private static Object value(Field field) {
    try {
      return field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
