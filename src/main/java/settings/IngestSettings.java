package settings;

import io.vertx.core.json.JsonObject;

/**
 * An ingest consumer's settings: its Kafka consumer, and the group it joins (EVENTS_GROUP_ID or
 * RECORDS_GROUP_ID).
 */
public record IngestSettings(ConsumerSettings consumer, String groupId) {
  public static IngestSettings from(JsonObject config, String groupIdKey) {
    return new IngestSettings(ConsumerSettings.from(config), config.getString(groupIdKey));
  }
}
