package verticles;

import app.ConfigKeys;
import domain.IngestRecord;
import domain.RawEventType;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.HashSet;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import kafka.Backoff;
import kafka.DeadLetters;
import kafka.KafkaConfigs;
import kafka.KafkaHeaders;
import kafka.OrderedConsumer;
import kafka.RecordValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;

/**
 * Validates records of its topics and forwards each valid one over the event bus to the verticle that
 * persists it with exactly-once effect, retrying outages; invalid ones go to {@code <topic>.dlq}.
 * Message to the bus: {@code {topic, event_id, correlation_id, payload}}.
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

  public IngestConsumerVerticle(Spec spec) {
    this.spec = spec;
  }

  @Override
  public Future<?> start() {
    producer = KafkaProducer.create(vertx, KafkaConfigs.producer(config()));
    deadLetters = new DeadLetters(vertx, producer, () -> stopped);
    Map<String, String> kafka = KafkaConfigs.consumer(config(), config().getString(spec.groupIdKey()));
    return OrderedConsumer.start(vertx, kafka, spec.topics(), OrderedConsumer::byKeyOrPartition, this::handle, deadLetters::crashed,
            KafkaConfigs.consumerSettings(config()))
        .onSuccess(started -> consumer = started);
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return consumer.stop().eventually(producer::close);
  }

  private Future<Void> handle(KafkaConsumerRecord<String, String> record, BooleanSupplier revoked) {
    String correlationId = KafkaHeaders.correlationId(record);
    JsonObject payload;
    try {
      payload = spec.validate().apply(record);
    } catch (ViolationException e) {
      LOG.warn("[corr={}] poison {} record {}-{}@{}: {}", correlationId, spec.name(), record.topic(), record.partition(),
          record.offset(), e.violation().message());
      return deadLetters.send(record, e.violation(), correlationId);
    }
    JsonObject message = new JsonObject().put("topic", record.topic()).put("event_id", eventId(record, payload))
        .put("correlation_id", correlationId).put("payload", payload);
    DeliveryOptions options = new DeliveryOptions().addHeader(Addresses.CORRELATION_ID, correlationId)
        .setSendTimeout(config().getLong(ConfigKeys.REQUEST_TIMEOUT_MS, 10_000L));
    return Backoff.retry(vertx, spec.name() + " record " + record.topic() + "-" + record.partition() + "@" + record.offset(),
        () -> vertx.eventBus().<JsonObject>request(spec.address(), message, options), () -> stopped || revoked.getAsBoolean())
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
