package messaging;

import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.Map;

/**
 * Kafka producers whose callers handle every failure through the future of each send. Without an exception
 * handler, Vert.x would also log each of those failures as an "Unhandled exception" at ERROR.
 */
public final class Producers {
  private Producers() {}

  public static KafkaProducer<String, String> create(Vertx vertx, Map<String, String> config) {
    return KafkaProducer.<String, String>create(vertx, config).exceptionHandler(handledBySend -> { });
  }

  /** One producer per name and JVM, closed when the last of its users closes it. */
  public static KafkaProducer<String, String> shared(Vertx vertx, String name, Map<String, String> config) {
    return KafkaProducer.<String, String>createShared(vertx, name, config).exceptionHandler(handledBySend -> { });
  }
}
