package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import messaging.KafkaConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import store.PgPools;
import support.Await;
import verticles.PriceConsumerVerticle;

/**
 * Stopping the price consumer stores what it buffered, then commits: nothing lost, nothing left
 * uncommitted.
 */
@ExtendWith(VertxExtension.class)
@Tag("integration")
class ShutdownFlushTest {
  private static final int TICKS = 40;

  @Test
  void stopFlushesTheBufferAndCommitsItsOffsets(Vertx testVertx) throws Exception {
    MarketData.Running running =
        MarketData.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "prices")
                .put(ConfigKeys.PRICES_FLUSH_INTERVAL_MS, 600_000)
                .put(ConfigKeys.PRICES_BATCH_SIZE, 100_000));
    JsonObject config = running.service.config;
    String symbol = MarketData.symbol("FLUSH");
    Queue<KafkaConsumerRecord<String, String>> dead = new ConcurrentLinkedQueue<>();
    KafkaConsumer<String, String> dlq =
        KafkaConsumer.create(
            testVertx, KafkaConfigs.consumer(config, "flush-" + UUID.randomUUID()));
    dlq.handler(dead::add);
    Await.result(dlq.subscribe(Set.of(Topics.RAW_PRICES + Topics.DEAD_LETTER_SUFFIX)));

    long t0 = System.currentTimeMillis();
    for (int i = 0; i < TICKS; i++) {
      running.produce(MarketData.tick(symbol, i + ".5", t0 + i));
    }
    // a malformed marker after the ticks: once it is dead-lettered, every tick before it is in the
    // buffer
    RecordMetadata marker = running.produce("marker-" + symbol, "not json");
    Await.until(
        "the marker is dead-lettered",
        MarketData.WAIT,
        () -> dead.stream().anyMatch(r -> ("marker-" + symbol).equals(r.key())));

    Pool pg = PgPools.create(testVertx, config);
    assertEquals(0L, count(pg, symbol), "the ticks wait in the buffer (10-minute flush interval)");

    running.close();

    assertEquals((long) TICKS, count(pg, symbol), "stop stored the whole buffer");
    assertEquals(
        t0 + TICKS - 1,
        Await.result(
                pg.preparedQuery("SELECT timestamp_ms FROM realtime_quote WHERE symbol = $1")
                    .execute(Tuple.of(symbol)))
            .iterator()
            .next()
            .getLong(0));
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(PriceConsumerVerticle.GROUP)
              .partitionsToOffsetAndMetadata()
              .get(20, TimeUnit.SECONDS);
      long next = committed.get(new TopicPartition(Topics.RAW_PRICES, running.partition)).offset();
      assertTrue(
          next > marker.getOffset(),
          () -> "committed " + next + " past the marker at " + marker.getOffset());
    }
    Await.result(pg.close());
  }

  private static long count(Pool pg, String symbol) {
    return Await.result(
            pg.preparedQuery("SELECT count(*) FROM prices_raw WHERE symbol = $1")
                .execute(Tuple.of(symbol)))
        .iterator()
        .next()
        .getLong(0);
  }
}
