package verticles;

import codec.QuoteJson;
import contract.Addresses;
import contract.Topics;
import domain.QuoteSymbols;
import domain.QuoteWalk;
import domain.Tick;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.List;
import java.util.Map;
import java.util.Random;
import messaging.KafkaConfigs;
import messaging.Producers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.SimulatorSettings;

/**
 * Simulated quotes for dev mode (role {@code simulator}; seed 003's MockQuoteWriter): every
 * QUOTE_SIMULATOR_INTERVAL_MS a random-walk tick for the symbols of QUOTE_SIMULATOR_SYMBOLS that
 * move, produced to {@code raw_prices} like any outside producer's. Runs only when QUOTE_SIMULATOR
 * resolves to true (the {@code auto} default means: this JVM started the embedded broker). When
 * Kafka does not take a tick, the simulator writes straight to the database, as the seed does,
 * through the price consumer's {@code prices.direct} address (the same batches, cache and push),
 * and tries Kafka again after a pause.
 */
public final class QuoteSimulatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteSimulatorVerticle.class);
  private static final long KAFKA_RETRY_AFTER_MS = 10_000;

  private KafkaProducer<String, String> producer;
  private QuoteWalk walk;
  private long timer = -1;
  private long directUntilMs;

  @Override
  public Future<?> start() {
    SimulatorSettings settings = SimulatorSettings.from(config());
    if (!settings.on()) {
      return Future.succeededFuture();
    }
    List<String> symbols = QuoteSymbols.fromCsv(settings.symbols(), Integer.MAX_VALUE);
    walk = new QuoteWalk(symbols, new Random());
    Map<String, String> kafka = KafkaConfigs.producer(config());
    // A tick is worth little once late: give up on Kafka quickly and write it directly instead
    kafka.put("max.block.ms", "1000");
    kafka.put("request.timeout.ms", "1000");
    kafka.put("delivery.timeout.ms", "2000"); // at least linger.ms + request.timeout.ms
    return Producers.create(vertx, kafka)
        .onSuccess(
            made -> {
              producer = made;
              timer = vertx.setPeriodic(settings.intervalMs(), id -> round());
              LOG.info(
                  "Quote simulator on: {} symbols to {} every {} ms",
                  symbols.size(),
                  Topics.RAW_PRICES,
                  settings.intervalMs());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return producer == null ? Future.succeededFuture() : producer.close();
  }

  private void round() {
    List<Tick> ticks = walk.next(System.currentTimeMillis());
    if (System.currentTimeMillis() < directUntilMs) {
      writeDirect(ticks);
    } else {
      ticks.forEach(this::produce);
    }
  }

  private void produce(Tick tick) {
    producer
        .send(
            KafkaProducerRecord.create(
                Topics.RAW_PRICES, tick.symbol(), QuoteJson.toJson(tick).encode()))
        .onFailure(
            e -> {
              if (System.currentTimeMillis() >= directUntilMs) {
                LOG.warn(
                    "Kafka did not take a simulated tick ({}); writing ticks to the database"
                        + " directly for {} s",
                    e.getMessage(),
                    KAFKA_RETRY_AFTER_MS / 1000);
              }
              directUntilMs = System.currentTimeMillis() + KAFKA_RETRY_AFTER_MS;
              writeDirect(List.of(tick));
            });
  }

  private void writeDirect(List<Tick> ticks) {
    if (ticks.isEmpty()) {
      return;
    }
    JsonArray quotes = new JsonArray();
    ticks.forEach(tick -> quotes.add(QuoteJson.toJson(tick)));
    vertx
        .eventBus()
        .request(Addresses.PRICES_DIRECT, new JsonObject().put("ticks", quotes))
        .onFailure(
            e -> LOG.debug("Simulated ticks not written directly either: {}", e.getMessage()));
  }
}
