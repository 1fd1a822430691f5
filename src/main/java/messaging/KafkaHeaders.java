package messaging;

import contract.Headers;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.header.Header;

/**
 * Headers of consumed records, read null-safely from the native record (the Vert.x view throws on a
 * header whose value is null), and the correlation id every record carries.
 */
public final class KafkaHeaders {
  private static final int MAX_ID_LENGTH = 128;

  private KafkaHeaders() {}

  /** The last value of a header as UTF-8, or null when absent or empty. */
  public static String value(KafkaConsumerRecord<String, String> record, String name) {
    Header header = record.record().headers().lastHeader(name);
    if (header == null || header.value() == null || header.value().length == 0) {
      return null;
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * The record's correlation id; a new one when the producer sent none, or one that is not short
   * printable ASCII (ids go into logs, headers and 128-character columns).
   */
  public static String correlationId(KafkaConsumerRecord<String, String> record) {
    String given = value(record, Headers.CORRELATION_ID);
    return isUsable(given) ? given : UUID.randomUUID().toString();
  }

  public static boolean isUsable(String id) {
    return id != null
        && !id.isBlank()
        && id.length() <= MAX_ID_LENGTH
        && id.chars().allMatch(c -> c > 32 && c < 127);
  }
}
