package messaging;

import audit.Audit;
import contract.Headers;
import contract.Topics;
import domain.ErrorCode;
import domain.Violation;
import failures.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.function.BooleanSupplier;
import logging.Correlation;
import metrics.Meters;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces poison records to {@code <topic>.dlq}: the original key, value and headers, plus headers
 * naming the reason and the source partition and offset. Produced (and acknowledged) before the
 * source offset may be committed; a broker outage is retried, never skipped. A copy too large to
 * produce is replaced by the headers alone (header {@value #ORIGINAL_DROPPED}).
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  public static final String ERROR = "dlq_error";
  public static final String REASON = "dlq_reason";
  public static final String FIELD = "dlq_field";
  public static final String SOURCE_TOPIC = "dlq_source_topic";
  public static final String SOURCE_PARTITION = "dlq_source_partition";
  public static final String SOURCE_OFFSET = "dlq_source_offset";

  /** Present when the original record was left out of the dead letter (see {@link #send}). */
  public static final String ORIGINAL_DROPPED = "dlq_original_dropped";

  private final Vertx vertx;
  private final KafkaProducer<String, String> producer;
  private final BooleanSupplier stopped;

  /**
   * The dead-letter producer of a JVM: one for all its consumers, closed when the last of them
   * closes it.
   */
  public static Future<KafkaProducer<String, String>> sharedProducer(
      Vertx vertx, JsonObject config) {
    return Producers.shared(vertx, "dead-letters", KafkaConfigs.producer(config));
  }

  /**
   * @param producer used for dead letters only: every failed send is handled through its future
   */
  public DeadLetters(Vertx vertx, KafkaProducer<String, String> producer, BooleanSupplier stopped) {
    this.vertx = vertx;
    this.producer = producer;
    this.stopped = stopped;
  }

  /**
   * For {@link OrderedConsumer}: a record whose handler crashed, or failed for good with a bug, is
   * dead-lettered with reason {@code bug: …} (or its refusal), so its partition moves on.
   */
  public Future<Void> crashed(KafkaConsumerRecord<String, String> source, Throwable failure) {
    Violation reason = Failures.finalReason(failure);
    return send(
        source,
        reason == null ? Violation.of(ErrorCode.INTERNAL_ERROR, null, "bug: " + failure) : reason,
        KafkaHeaders.correlationId(source));
  }

  /**
   * Unusable input ({@code what}: "poison trades record", "malformed tick"): logged with its place
   * and reason, then dead-lettered, and the partition moves on.
   */
  public Future<Void> poison(
      String what,
      KafkaConsumerRecord<String, String> source,
      Violation violation,
      String correlationId) {
    Correlation.log(
        correlationId,
        () ->
            LOG.warn(
                "{} {}-{}@{} dead-lettered: {}",
                what,
                source.topic(),
                source.partition(),
                source.offset(),
                violation.message()));
    return send(source, violation, correlationId);
  }

  public Future<Void> send(
      KafkaConsumerRecord<String, String> source, Violation violation, String correlationId) {
    Meters.validationFailure(violation.code().name(), "kafka");
    return Backoff.retry(
            vertx,
            "dead-letter of " + source.topic() + "-" + source.partition() + "@" + source.offset(),
            correlationId,
            () ->
                producer
                    .send(copy(source, violation, correlationId))
                    .recover(
                        e ->
                            isTooLarge(e)
                                ? producer.send(stub(source, violation, correlationId))
                                : Future.failedFuture(e)),
            stopped)
        .onSuccess(
            sent -> {
              Meters.deadLettered(source.topic() + Topics.DEAD_LETTER_SUFFIX);
              audit(source, violation, correlationId);
            })
        .mapEmpty();
  }

  /** Every dead letter is also a KAFKA_ERROR event in trade_events (seed 001). */
  private void audit(
      KafkaConsumerRecord<String, String> source, Violation violation, String correlationId) {
    Audit.event(
        vertx,
        Audit.KAFKA_ERROR,
        "warning",
        new JsonObject()
            .put("kind", "dead_letter")
            .put("topic", source.topic())
            .put("partition", source.partition())
            .put("offset", source.offset())
            .put("dead_letter_topic", source.topic() + Topics.DEAD_LETTER_SUFFIX)
            .put("error", violation.code().name())
            .put("reason", violation.message())
            .put("field", violation.field())
            .put("correlation_id", correlationId));
  }

  /** The original key, value and headers (but its correlation id), plus the dead-letter headers. */
  private static KafkaProducerRecord<String, String> copy(
      KafkaConsumerRecord<String, String> source, Violation violation, String correlationId) {
    KafkaProducerRecord<String, String> dead =
        KafkaProducerRecord.create(
            source.topic() + Topics.DEAD_LETTER_SUFFIX, source.key(), source.value());
    for (Header header : source.record().headers()) {
      if (!header.key().equals(Headers.CORRELATION_ID)) {
        dead.addHeader(
            KafkaHeader.header(
                header.key(),
                header.value() == null ? Buffer.buffer() : Buffer.buffer(header.value())));
      }
    }
    return describe(dead, source, violation, correlationId);
  }

  /**
   * A copy can be too large to produce where its source was not (the added headers; undecodable
   * bytes that became 3-byte replacement characters). Retrying it would stall the partition for
   * good, so the dead letter goes without the original, which stays readable at its source offset
   * while retained.
   */
  private static KafkaProducerRecord<String, String> stub(
      KafkaConsumerRecord<String, String> source, Violation violation, String correlationId) {
    KafkaProducerRecord<String, String> dead =
        KafkaProducerRecord.create(source.topic() + Topics.DEAD_LETTER_SUFFIX, null, null);
    return describe(dead, source, violation, correlationId)
        .addHeader(
            ORIGINAL_DROPPED,
            "key, value and headers left out: too large for the dead-letter topic");
  }

  private static KafkaProducerRecord<String, String> describe(
      KafkaProducerRecord<String, String> dead,
      KafkaConsumerRecord<String, String> source,
      Violation violation,
      String correlationId) {
    dead.addHeader(Headers.CORRELATION_ID, correlationId)
        .addHeader(ERROR, violation.code().name())
        .addHeader(REASON, violation.message())
        .addHeader(SOURCE_TOPIC, source.topic())
        .addHeader(SOURCE_PARTITION, Integer.toString(source.partition()))
        .addHeader(SOURCE_OFFSET, Long.toString(source.offset()));
    if (violation.field() != null) {
      dead.addHeader(KafkaHeader.header(FIELD, violation.field()));
    }
    return dead;
  }

  private static boolean isTooLarge(Throwable e) {
    return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException;
  }
}
