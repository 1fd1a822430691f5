package verticles;

import codec.Outcomes;
import contract.Addresses;
import contract.ConfigKeys;
import domain.IngestRecord;
import domain.RawEventType;
import domain.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import messaging.KafkaConfigs;
import messaging.KafkaHeaders;
import messaging.RecordValues;
import settings.IngestSettings;

/**
 * Validates records of its topics and forwards the valid ones over the event bus to the verticle
 * that persists them with exactly-once effect, a partition's polled run at a time, retrying
 * outages; invalid ones go to {@code <topic>.dlq}. Message to the bus: {@code {items: [{topic,
 * event_id, correlation_id, payload}, ...]}}.
 */
public final class IngestConsumerVerticle extends KafkaToBusVerticle<JsonObject> {
  /** What one ingest role consumes and where it forwards. */
  public record Spec(
      String name,
      Set<String> topics,
      String groupIdKey,
      String address,
      Function<KafkaConsumerRecord<String, String>, JsonObject> validate) {}

  /** Seed 000: raw transactions, instruments, prices and FX rates → events.persist. */
  public static final Spec RAW_EVENTS =
      new Spec(
          "raw events",
          new HashSet<>(RawEventType.topics()),
          ConfigKeys.EVENTS_GROUP_ID,
          Addresses.EVENTS_PERSIST,
          record -> {
            JsonObject payload = RecordValues.jsonObject(record);
            RawEventType.ofTopic(record.topic()).orElseThrow().parse(payload.getMap());
            return payload;
          });

  /** Seed 002: records.in → records.ingest. */
  public static final Spec RECORDS =
      new Spec(
          "records",
          Set.of("records.in"),
          ConfigKeys.RECORDS_GROUP_ID,
          Addresses.RECORDS_INGEST,
          record -> {
            JsonObject payload = RecordValues.jsonObject(record);
            IngestRecord.parse(payload.getMap());
            return payload;
          });

  private static final int MAX_EVENT_ID_LENGTH = 150;

  private final Spec spec;

  public IngestConsumerVerticle(Spec spec) {
    this.spec = spec;
  }

  @Override
  protected Subscription subscription() {
    IngestSettings settings = IngestSettings.from(config(), spec.groupIdKey());
    return new Subscription(
        spec.name() + " records",
        KafkaConfigs.consumer(config(), settings.groupId()),
        spec.topics(),
        spec.address(),
        settings.consumer());
  }

  /**
   * The bus item for one record: {@code {topic, event_id, correlation_id, payload}}; throws for
   * poison.
   */
  @Override
  protected JsonObject parse(KafkaConsumerRecord<String, String> record) {
    JsonObject payload = spec.validate().apply(record);
    return new JsonObject()
        .put("topic", record.topic())
        .put("event_id", eventId(record, payload))
        .put("correlation_id", KafkaHeaders.correlationId(record))
        .put("payload", payload);
  }

  @Override
  protected Object request(List<JsonObject> items, List<String> correlationIds) {
    return new JsonObject().put(Outcomes.ITEMS, new JsonArray(new ArrayList<>(items)));
  }

  @Override
  protected List<Violation> refusals(Object reply) {
    JsonArray outcomes = ((JsonObject) reply).getJsonArray(Outcomes.OUTCOMES);
    List<Violation> refusals = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      refusals.add(Outcomes.refusal(outcomes.getJsonObject(i)));
    }
    return refusals;
  }

  /**
   * {@code <topic>:<id>}, with the producer's event id (payload field, else header {@code
   * event_id}), scoped by topic since producers only keep ids unique within one; else the record's
   * position {@code <topic>-<partition>@<offset>}, stable under redelivery and replay.
   */
  private static String eventId(KafkaConsumerRecord<String, String> record, JsonObject payload) {
    Object inPayload = payload.getValue("event_id");
    String given = inPayload instanceof String id ? id : KafkaHeaders.value(record, "event_id");
    if (given != null && !given.isBlank() && given.length() <= MAX_EVENT_ID_LENGTH) {
      return record.topic() + ":" + given;
    }
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
