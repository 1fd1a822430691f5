package messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import contract.ConfigKeys;
import contract.Topics;
import domain.ErrorCode;
import domain.Violation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;
import support.KafkaTestClient;
import support.TestInfra;

/** Dead letters through the real broker: what they carry, and that one is always produced. */
@Tag("integration")
class DeadLettersTest {
  private static Vertx vertx;
  private static KafkaProducer<String, String> producer;
  private static KafkaTestClient kafka;
  private static DeadLetters deadLetters;

  @BeforeAll
  static void start() {
    JsonObject config = TestInfra.config();
    vertx = Vertx.vertx();
    producer = KafkaProducer.create(vertx, KafkaConfigs.producer(config));
    kafka = new KafkaTestClient(vertx, config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    deadLetters = new DeadLetters(vertx, producer, () -> false);
  }

  @AfterAll
  static void stop() {
    kafka.close();
    Await.result(producer.close());
    Await.result(vertx.close());
  }

  @Test
  void aDeadLetterCarriesTheOriginalAndTheReason() {
    KafkaConsumerRecord<String, String> dead = deadLetterOf("k1", "{not json");
    assertEquals("k1", dead.key());
    assertEquals("{not json", dead.value());
    assertEquals("MALFORMED_JSON", KafkaTestClient.header(dead, DeadLetters.ERROR));
    assertEquals("value is not JSON", KafkaTestClient.header(dead, DeadLetters.REASON));
    assertEquals("2", KafkaTestClient.header(dead, DeadLetters.SOURCE_PARTITION));
    assertEquals("41", KafkaTestClient.header(dead, DeadLetters.SOURCE_OFFSET));
    assertNull(KafkaTestClient.header(dead, DeadLetters.ORIGINAL_DROPPED));
  }

  /**
   * 400 000 undecodable bytes fit the source topic, but decode to as many 3-byte replacement
   * characters: the copy is over the producer's 1 MB limit. Retrying it forever stalled the
   * partition.
   */
  @Test
  void aCopyTooLargeToProduceIsDeadLetteredWithoutTheOriginal() {
    byte[] binary = new byte[400_000];
    Arrays.fill(binary, (byte) 0x80);
    KafkaConsumerRecord<String, String> dead =
        deadLetterOf("k2", new String(binary, StandardCharsets.UTF_8));
    assertNull(dead.key());
    assertNull(dead.value());
    assertEquals("MALFORMED_JSON", KafkaTestClient.header(dead, DeadLetters.ERROR));
    assertEquals("value is not JSON", KafkaTestClient.header(dead, DeadLetters.REASON));
    assertEquals("41", KafkaTestClient.header(dead, DeadLetters.SOURCE_OFFSET));
    assertEquals(
        "key, value and headers left out: too large for the dead-letter topic",
        KafkaTestClient.header(dead, DeadLetters.ORIGINAL_DROPPED));
  }

  /**
   * Dead-letters a record of a fresh topic (partition 2, offset 41) and reads the dead letter back.
   */
  private static KafkaConsumerRecord<String, String> deadLetterOf(String key, String value) {
    String topic = "dead-letters-" + UUID.randomUUID();
    List<KafkaConsumerRecord<String, String>> dlq = kafka.read(topic + Topics.DEAD_LETTER_SUFFIX);
    KafkaConsumerRecord<String, String> source =
        new KafkaConsumerRecordImpl<>(new ConsumerRecord<>(topic, 2, 41L, key, value));
    Await.result(
        deadLetters.send(
            source, Violation.of(ErrorCode.MALFORMED_JSON, null, "value is not JSON"), "corr-1"));
    Await.until("the dead letter", Duration.ofSeconds(30), () -> !dlq.isEmpty());
    return dlq.get(0);
  }
}
