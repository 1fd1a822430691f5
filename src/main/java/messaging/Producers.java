package messaging;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.Map;

/**
 * Kafka producers, made on a worker thread: building one (its config, serializers and metrics) is
 * blocking work that held an event loop for seconds when verticles started under load. Their
 * callers handle every failure through the future of each send; without an exception handler,
 * Vert.x would also log each of those failures as an "Unhandled exception" at ERROR.
 */
public final class Producers {
  private Producers() {}

  public static Future<KafkaProducer<String, String>> create(
      Vertx vertx, Map<String, String> config) {
    return vertx.executeBlocking(
        () ->
            KafkaProducer.<String, String>create(vertx, config)
                .exceptionHandler(handledBySend -> {}));
  }

  /** One producer per name and JVM, closed when the last of its users closes it. */
  public static Future<KafkaProducer<String, String>> shared(
      Vertx vertx, String name, Map<String, String> config) {
    return vertx.executeBlocking(
        () ->
            KafkaProducer.<String, String>createShared(vertx, name, config)
                .exceptionHandler(handledBySend -> {}));
  }
}
