package kafka;

import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The correlation id header carried on every Kafka record the service reads or writes. */
public final class KafkaHeaders {
  public static final String CORRELATION_ID = "correlation_id";

  private KafkaHeaders() {}

  /** The record's correlation id, or a new one when the producer sent none. */
  public static String correlationId(KafkaConsumerRecord<String, String> record) {
    for (KafkaHeader header : record.headers()) {
      if (header.key().equals(CORRELATION_ID) && header.value() != null && header.value().length() > 0) {
        return header.value().toString(StandardCharsets.UTF_8);
      }
    }
    return UUID.randomUUID().toString();
  }
}
