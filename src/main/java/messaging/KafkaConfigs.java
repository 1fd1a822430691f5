package messaging;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Kafka client settings shared by every consumer and producer of the service. */
public final class KafkaConfigs {
  /**
   * Prefix of the settings passed to every Kafka client as properties (see {@link #passedThrough}).
   */
  public static final String CLIENT_PREFIX = "KAFKA_CLIENT_";

  private KafkaConfigs() {}

  public static Map<String, String> consumer(JsonObject config, String groupId) {
    Map<String, String> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.put("group.id", groupId);
    kafka.put("enable.auto.commit", "false");
    kafka.put("auto.offset.reset", "earliest");
    kafka.put("max.poll.records", "500");
    kafka.put("session.timeout.ms", "10000");
    // Incremental rebalances: only partitions that really move are revoked, the rest keep working.
    kafka.put(
        "partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    kafka.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    kafka.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    kafka.putAll(passedThrough(config));
    return kafka;
  }

  /**
   * Idempotent, fully acknowledged: a send that succeeded is on every in-sync replica, exactly
   * once.
   */
  public static Map<String, String> producer(JsonObject config) {
    Map<String, String> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.put("acks", "all");
    kafka.put("enable.idempotence", "true");
    kafka.put("linger.ms", "2");
    kafka.put("delivery.timeout.ms", "30000");
    kafka.put("request.timeout.ms", "10000");
    kafka.put("max.block.ms", "10000");
    kafka.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    kafka.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    kafka.putAll(passedThrough(config));
    return kafka;
  }

  /**
   * The outbox's producer never gives up on a record while the broker is away: a record that
   * expired while a later one of its partition got through would break per-key order. Its sends
   * fail only for errors no retry cures (or a metadata wait past max.block.ms), and the dispatcher
   * then discards the producer before the rows are claimed again.
   */
  public static Map<String, String> outboxProducer(JsonObject config) {
    Map<String, String> kafka = producer(config);
    kafka.put("delivery.timeout.ms", String.valueOf(Integer.MAX_VALUE));
    return kafka;
  }

  /**
   * An admin client's settings, with short timeouts for health checks when {@code timeoutMs} is
   * given.
   */
  public static Map<String, String> admin(JsonObject config, long timeoutMs) {
    Map<String, String> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.put("request.timeout.ms", Long.toString(timeoutMs));
    kafka.put("default.api.timeout.ms", Long.toString(timeoutMs));
    kafka.putAll(passedThrough(config));
    return kafka;
  }

  /**
   * Every config key that starts with {@value #CLIENT_PREFIX}, as a Kafka client property: the
   * security settings of a real cluster (KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL,
   * KAFKA_CLIENT_SASL_MECHANISM, KAFKA_CLIENT_SASL_JAAS_CONFIG,
   * KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION, …) reach every consumer, producer and admin client
   * unchanged. Kafka's property names are lower case with dots, so the mapping is exact.
   */
  public static Map<String, String> passedThrough(JsonObject config) {
    Map<String, String> properties = new HashMap<>();
    config.forEach(
        entry -> {
          if (entry.getKey().startsWith(CLIENT_PREFIX)
              && entry.getKey().length() > CLIENT_PREFIX.length()
              && entry.getValue() != null) {
            properties.put(
                entry
                    .getKey()
                    .substring(CLIENT_PREFIX.length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.'),
                String.valueOf(entry.getValue()));
          }
        });
    return properties;
  }
}
