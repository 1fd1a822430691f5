package verticles;

import codec.Outcomes;
import contract.Addresses;
import contract.ConfigKeys;
import contract.Headers;
import domain.IngestRecord;
import domain.RawEventType;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import logging.Correlation;
import messaging.Backoff;
import messaging.DeadLetters;
import messaging.KafkaConfigs;
import messaging.KafkaHeaders;
import messaging.OrderedConsumer;
import messaging.RecordValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.IngestSettings;

/**
 * Validates records of its topics and forwards the valid ones over the event bus to the verticle that
 * persists them with exactly-once effect, a partition's polled run at a time, retrying outages; invalid
 * ones go to {@code <topic>.dlq}. Message to the bus: {@code {items: [{topic, event_id, correlation_id,
 * payload}, ...]}}.
 */
public final class IngestConsumerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngestConsumerVerticle.class);

  /** What one ingest role consumes and where it forwards. */
  public record Spec(String name, Set<String> topics, String groupIdKey, String address,
      Function<KafkaConsumerRecord<String, String>, JsonObject> validate) {}

  /** Seed 000: raw transactions, instruments, prices and FX rates → events.persist. */
  public static final Spec RAW_EVENTS = new Spec("raw events", new HashSet<>(RawEventType.topics()),
      ConfigKeys.EVENTS_GROUP_ID, Addresses.EVENTS_PERSIST, record -> {
        JsonObject payload = RecordValues.jsonObject(record);
        RawEventType.ofTopic(record.topic()).orElseThrow().parse(payload.getMap());
        return payload;
      });

  /** Seed 002: records.in → records.ingest. */
  public static final Spec RECORDS = new Spec("records", Set.of("records.in"), ConfigKeys.RECORDS_GROUP_ID,
      Addresses.RECORDS_INGEST, record -> {
        JsonObject payload = RecordValues.jsonObject(record);
        IngestRecord.parse(payload.getMap());
        return payload;
      });

  private static final int MAX_EVENT_ID_LENGTH = 150;

  private final Spec spec;
  private KafkaProducer<String, String> producer;
  private DeadLetters deadLetters;
  private OrderedConsumer consumer;
  private volatile boolean stopped;
  private IngestSettings settings;

  public IngestConsumerVerticle(Spec spec) {
    this.spec = spec;
  }

  @Override
  public Future<?> start() {
    settings = IngestSettings.from(config(), spec.groupIdKey());
    return DeadLetters.sharedProducer(vertx, config()).compose(this::consume);
  }

  private Future<OrderedConsumer> consume(KafkaProducer<String, String> deadLetterProducer) {
    producer = deadLetterProducer;
    deadLetters = new DeadLetters(vertx, producer, () -> stopped);
    Map<String, String> kafka = KafkaConfigs.consumer(config(), settings.groupId());
    return OrderedConsumer.startBatched(vertx, kafka, spec.topics(), this::handleRun, deadLetters::crashed,
            OrderedConsumer.Settings.of(settings.consumer()))
        .onSuccess(started -> consumer = started);
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return consumer.stop(settings.consumer().shutdownDrainMs()).eventually(producer::close);
  }

  /**
   * A run of one partition's records: poison ones are dead-lettered, the valid ones go to the persistence
   * verticle in one request ({@code {items}}, one unit applied in order), retried whole while it is unavailable.
   */
  private Future<Void> handleRun(List<KafkaConsumerRecord<String, String>> records, BooleanSupplier revoked) {
    List<Future<Void>> effects = new ArrayList<>();
    List<KafkaConsumerRecord<String, String>> valid = new ArrayList<>();
    JsonArray items = new JsonArray();
    for (KafkaConsumerRecord<String, String> record : records) {
      try {
        items.add(item(record));
        valid.add(record);
      } catch (ViolationException e) {
        effects.add(poison(record, e.violation()));
      } catch (RuntimeException e) {
        effects.add(deadLetters.crashed(record, e));
      }
    }
    if (!valid.isEmpty()) {
      effects.add(persistRun(valid, items, revoked));
    }
    return Future.all(effects).mapEmpty();
  }

  private Future<Void> persistRun(List<KafkaConsumerRecord<String, String>> records, JsonArray items,
      BooleanSupplier revoked) {
    KafkaConsumerRecord<String, String> first = records.get(0);
    DeliveryOptions options = new DeliveryOptions()
        .addHeader(Headers.CORRELATION_ID, items.getJsonObject(0).getString("correlation_id"))
        .setSendTimeout(settings.consumer().requestTimeoutMs());
    return Backoff.retry(vertx, "run of " + records.size() + " " + spec.name() + " records from " + first.topic() + "-"
                + first.partition() + "@" + first.offset(), items.getJsonObject(0).getString("correlation_id"),
            () -> vertx.eventBus().<JsonObject>request(spec.address(), new JsonObject().put(Outcomes.ITEMS, items), options),
            () -> stopped || revoked.getAsBoolean())
        .compose(reply -> deadLetterRefused(records, items, reply.body().getJsonArray(Outcomes.OUTCOMES)))
        // The store crashed on something in the run: each record alone, so only the one it crashes on is dead-lettered.
        .recover(e -> Backoff.refusal(e) == null ? Future.failedFuture(e) : oneByOne(records, 0, revoked));
  }

  private Future<Void> deadLetterRefused(List<KafkaConsumerRecord<String, String>> records, JsonArray items,
      JsonArray outcomes) {
    List<Future<Void>> sends = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Violation refusal = Outcomes.refusal(outcomes.getJsonObject(i));
      if (refusal != null) {
        sends.add(deadLetters.send(records.get(i), refusal, items.getJsonObject(i).getString("correlation_id")));
      }
    }
    return Future.all(sends).mapEmpty();
  }

  private Future<Void> oneByOne(List<KafkaConsumerRecord<String, String>> records, int next, BooleanSupplier revoked) {
    return next == records.size() ? Future.succeededFuture()
        : handle(records.get(next), revoked).compose(v -> oneByOne(records, next + 1, revoked));
  }

  /** The bus message for one record: {@code {topic, event_id, correlation_id, payload}}; throws for poison. */
  private JsonObject item(KafkaConsumerRecord<String, String> record) {
    JsonObject payload = spec.validate().apply(record);
    return new JsonObject().put("topic", record.topic()).put("event_id", eventId(record, payload))
        .put("correlation_id", KafkaHeaders.correlationId(record)).put("payload", payload);
  }

  private Future<Void> poison(KafkaConsumerRecord<String, String> record, Violation violation) {
    String correlationId = KafkaHeaders.correlationId(record);
    Correlation.log(correlationId,
        () -> LOG.warn("poison {} record {}-{}@{}: {}", spec.name(), record.topic(), record.partition(), record.offset(), violation.message()));
    return deadLetters.send(record, violation, correlationId);
  }

  /** One record alone: the fallback when the store crashed on a run. */
  private Future<Void> handle(KafkaConsumerRecord<String, String> record, BooleanSupplier revoked) {
    String correlationId = KafkaHeaders.correlationId(record);
    JsonObject message;
    try {
      message = item(record);
    } catch (ViolationException e) {
      return poison(record, e.violation());
    }
    DeliveryOptions options = new DeliveryOptions().addHeader(Headers.CORRELATION_ID, correlationId)
        .setSendTimeout(settings.consumer().requestTimeoutMs());
    return Backoff.retry(vertx, spec.name() + " record " + record.topic() + "-" + record.partition() + "@" + record.offset(),
        correlationId, () -> vertx.eventBus().<JsonObject>request(spec.address(), message, options), () -> stopped || revoked.getAsBoolean())
        .compose(reply -> Outcomes.refusal(reply.body()) == null ? Future.<Void>succeededFuture()
            : deadLetters.send(record, Outcomes.refusal(reply.body()), correlationId))
        .recover(e -> Backoff.refusal(e) == null ? Future.failedFuture(e)
            : deadLetters.send(record, Backoff.refusal(e), correlationId));
  }

  /**
   * {@code <topic>:<id>}, with the producer's event id (payload field, else header {@code event_id}),
   * scoped by topic since producers only keep ids unique within one; else the record's position
   * {@code <topic>-<partition>@<offset>}, stable under redelivery and replay.
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
