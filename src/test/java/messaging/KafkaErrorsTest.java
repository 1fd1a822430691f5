package messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import audit.Audit;
import contract.Addresses;
import contract.Headers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;
import support.TestInfra;

/**
 * A consumer error (here: a value its deserializer cannot read, on every poll) becomes a
 * KAFKA_ERROR event for trade_events on the audit address, folded to one per interval while it
 * repeats.
 */
@Tag("integration")
class KafkaErrorsTest {
  @Test
  void consumerErrorsAreKafkaErrorEvents() {
    JsonObject config = TestInfra.config();
    Vertx vertx = Vertx.vertx();
    Queue<JsonObject> events = new ConcurrentLinkedQueue<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.AUDIT_APPEND,
            message -> {
              if (Audit.TRADE_EVENTS.equals(message.headers().get(Headers.AUDIT_COLLECTION))) {
                events.add(message.body());
              }
            });
    String topic = "kafka-errors-" + UUID.randomUUID();
    String group = "kafka-errors-test-" + UUID.randomUUID();
    KafkaProducer<String, String> producer =
        KafkaProducer.create(vertx, KafkaConfigs.producer(config));
    Await.result(producer.send(KafkaProducerRecord.create(topic, "k", "not four bytes")));
    Map<String, String> consumerConfig = KafkaConfigs.consumer(config, group);
    consumerConfig.put(
        "value.deserializer", "org.apache.kafka.common.serialization.IntegerDeserializer");
    OrderedConsumer consumer =
        Await.result(
            OrderedConsumer.start(
                vertx,
                consumerConfig,
                Set.of(topic),
                (record, revoked) -> Future.succeededFuture(),
                (record, failure) -> Future.succeededFuture(),
                OrderedConsumer.Settings.defaults()));
    try {
      Await.until(
          "a KAFKA_ERROR event of this group",
          Duration.ofSeconds(30),
          () ->
              events.stream()
                  .anyMatch(event -> group.equals(event.getJsonObject("data").getString("group"))));
      JsonObject event =
          events.stream()
              .filter(e -> group.equals(e.getJsonObject("data").getString("group")))
              .findFirst()
              .orElseThrow();
      assertEquals("KAFKA_ERROR", event.getString("event_type"));
      assertEquals("error", event.getString("severity"));
      assertEquals("consumer_error", event.getJsonObject("data").getString("kind"));
      assertEquals(topic, event.getJsonObject("data").getString("topics"));
      assertEquals(
          1,
          events.stream()
              .filter(e -> group.equals(e.getJsonObject("data").getString("group")))
              .count(),
          "repeats within the interval are folded into the next event");
    } finally {
      Await.result(consumer.stop(0).otherwiseEmpty());
      Await.result(producer.close());
      Await.result(vertx.close());
    }
  }
}
