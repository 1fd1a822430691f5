package messaging;

import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

/** Reads a record's value as a JSON object, or fails with MALFORMED_JSON (poison). */
public final class RecordValues {
  private RecordValues() {}

  public static JsonObject jsonObject(KafkaConsumerRecord<String, String> record) {
    try {
      if (record.value() == null) {
        throw new DecodeException("record has no value");
      }
      return new JsonObject(record.value());
    } catch (DecodeException | ClassCastException e) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.MALFORMED_JSON, null, "value is not a JSON object: " + e.getMessage()));
    }
  }
}
