package bench;

import app.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;

/**
 * End to end: POST /records (64 in flight) → 202 → records.in → ingest → outbox → notifications.
 * Phase 1 saturates the service (64 POSTs in flight) for records/s, with the rate of the POSTs alone
 * (Kafka-acknowledged 202s) as the same-run baseline; phase 2 sends at half that end-to-end rate and
 * reports the latency from POST to notification received.
 * Run: mvn test -Dgroups=benchmark -DexcludedGroups=none -Dtest=RecordsPipelineBenchmark
 */
@Tag("benchmark")
@ExtendWith(VertxExtension.class)
class RecordsPipelineBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(RecordsPipelineBenchmark.class);
  private static final int RECORDS = 5_000;
  private static final int WINDOW = 64;
  private static final int PACED_SECONDS = 10;

  @Test
  void postToNotification(Vertx vertx) {
    ServiceUnderTest service = ServiceUnderTest.start(new JsonObject().put(ConfigKeys.ROLES, System.getProperty("bench.roles", "records,outbox,api")));
    KafkaTestClient kafka = new KafkaTestClient(service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic("records.in", 3);
    kafka.createTopic("notifications", 3);
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Long> latencyNanos = new ConcurrentHashMap<>();
    KafkaConsumer<String, String> reader = KafkaConsumer.create(vertx, Map.of(
        "bootstrap.servers", service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS),
        "group.id", "bench-" + UUID.randomUUID(), "auto.offset.reset", "latest",
        "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
        "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"));
    reader.handler(r -> {
      String id = new JsonObject(r.value()).getJsonObject("record").getString("recordId");
      Long sent = sentAt.get(id);
      if (sent != null) {
        latencyNanos.putIfAbsent(id, System.nanoTime() - sent);
      }
    });
    Await.result(reader.subscribe("notifications"));
    Await.until("reader assigned", Duration.ofSeconds(30), () -> Await.result(reader.assignment()).size() == 3);

    String run = UUID.randomUUID().toString().substring(0, 8);
    // Phase 1, saturation: 64 POSTs in flight, as fast as the service takes them.
    long started = System.nanoTime();
    for (int from = 0; from < RECORDS; from += WINDOW) {
      List<Future<?>> window = new ArrayList<>();
      for (int i = from; i < Math.min(RECORDS, from + WINDOW); i++) {
        window.add(post(service, sentAt, run + "-" + i, i));
      }
      Await.result(Future.all(window));
    }
    double postSeconds = (System.nanoTime() - started) / 1e9;
    Await.until("all notifications", Duration.ofMinutes(5), () -> latencyNanos.size() == RECORDS);
    double totalSeconds = (System.nanoTime() - started) / 1e9;
    double endToEnd = RECORDS / totalSeconds;
    List<Long> saturated = latencyNanos.values().stream().sorted().toList();
    LOG.info("BENCH records pipeline, saturation: {} records; end-to-end {} records/s; POST-only {} records/s; "
            + "latency POST→notification p50 {} ms, p99 {} ms (queueing included)",
        RECORDS, Math.round(endToEnd), Math.round(RECORDS / postSeconds), ms(saturated, 0.50), ms(saturated, 0.99));

    // Phase 2, steady load at half the measured end-to-end rate: the latency a record sees when not queued.
    latencyNanos.clear();
    int rate = (int) Math.max(10, endToEnd / 2);
    int paced = rate * PACED_SECONDS;
    long slotNanos = 10_000_000L;
    long next = System.nanoTime();
    List<Future<?>> posts = new ArrayList<>();
    for (int i = 0; i < paced; i++) {
      if (i % Math.max(1, rate / 100) == 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
        next += slotNanos;
      }
      posts.add(post(service, sentAt, run + "-p" + i, i));
    }
    Await.result(Future.all(posts));
    Await.until("all paced notifications", Duration.ofMinutes(5), () -> latencyNanos.size() == paced);
    List<Long> steady = latencyNanos.values().stream().sorted().toList();
    LOG.info("BENCH records pipeline, steady {} records/s for {} s: latency POST→notification p50 {} ms, p99 {} ms, max {} ms",
        rate, PACED_SECONDS, ms(steady, 0.50), ms(steady, 0.99), ms(steady, 1.0));
    reader.close();
    kafka.close();
    service.close();
  }

  private static Future<?> post(ServiceUnderTest service, Map<String, Long> sentAt, String id, int i) {
    sentAt.put(id, System.nanoTime());
    return service.postJsonAsync("/records", new JsonObject().put("recordId", id)
        .put("time", Instant.now().toString()).put("sourceId", "s").put("destinationId", "dest-" + (i % 50))
        .put("type", i % 3 == 0 ? "negative" : "positive").put("value", i % 2000).put("unit", "SEK")
        .put("reference", "ref-" + (i % 7)));
  }

  private static long ms(List<Long> sorted, double quantile) {
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1_000_000;
  }
}
