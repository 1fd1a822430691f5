package bench;

import app.ConfigKeys;
import domain.Trade;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.TradeStore;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;
import verticles.TradeConsumerVerticle;

/**
 * Consumer throughput: N keyed trades produced to `trades`, timed until all are stored. Baseline in the
 * same run: the same number of single-row upserts sent straight to the trade store, 64 at a time.
 * Run: mvn test -Dgroups=benchmark -DexcludedGroups=none -Dtest=TradeConsumerBenchmark
 */
@Tag("benchmark")
@ExtendWith(VertxExtension.class)
class TradeConsumerBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(TradeConsumerBenchmark.class);
  private static final int TRADES = 20_000;
  private static final int ROUNDS = 3;

  @Test
  void consumerThroughput(Vertx vertx) {
    ServiceUnderTest service = ServiceUnderTest.start(new JsonObject().put(ConfigKeys.ROLES, "audit,trades"));
    KafkaTestClient kafka = new KafkaTestClient(service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic(TradeConsumerVerticle.TOPIC, 3);
    String consumer = Await.result(service.vertx.deployVerticle(new TradeConsumerVerticle(TestClock.CLOCK),
        new DeploymentOptions().setConfig(service.config)));
    TradeStore store = new TradeStore(service.pg);
    List<Double> consumerRates = new ArrayList<>();
    List<Double> baselineRates = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      service.truncate("trades");
      consumerRates.add(viaKafka(service, kafka, "K" + round + "-"));
      service.truncate("trades");
      baselineRates.add(directUpserts(store, "D" + round + "-"));
    }
    double consumer50 = median(consumerRates);
    double baseline50 = median(baselineRates);
    LOG.info("BENCH trade consumer: {} trades x {} rounds; consumer median {} trades/s {}, direct single-row "
        + "upsert baseline median {} trades/s {}, ratio {}", TRADES, ROUNDS, Math.round(consumer50), consumerRates,
        Math.round(baseline50), baselineRates, String.format("%.2f", consumer50 / baseline50));
    Await.result(service.vertx.undeploy(consumer));
    kafka.close();
    service.close();
  }

  private static double viaKafka(ServiceUnderTest service, KafkaTestClient kafka, String prefix) {
    long started = System.nanoTime();
    List<Future<?>> sends = new ArrayList<>();
    for (int i = 0; i < TRADES; i++) {
      String id = prefix + i;
      sends.add(kafka.sendAsync(KafkaProducerRecord.create(TradeConsumerVerticle.TOPIC, id,
          Trades.json(id, 1, "B" + (i % 20), TestClock.today().plusDays(30)).encode())));
    }
    Await.result(Future.all(sends));
    Await.until("all trades stored", java.time.Duration.ofMinutes(5), () ->
        service.sql("SELECT count(*) FROM trades WHERE trade_id LIKE $1", prefix + "%").iterator().next().getLong(0) == TRADES);
    return TRADES / ((System.nanoTime() - started) / 1e9);
  }

  private static double directUpserts(TradeStore store, String prefix) {
    long started = System.nanoTime();
    int window = 64;
    for (int from = 0; from < TRADES; from += window) {
      List<Future<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(TRADES, from + window); i++) {
        batch.add(store.upsertAll(List.of(new Trade(prefix + i, 1, "CP-1", "B" + (i % 20),
            TestClock.today().plusDays(30), TestClock.today(), false))));
      }
      Await.result(Future.all(batch));
    }
    return TRADES / ((System.nanoTime() - started) / 1e9);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
