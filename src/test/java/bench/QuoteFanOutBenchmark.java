package bench;

import app.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import kafka.KafkaConfigs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.Await;
import support.ServiceUnderTest;
import verticles.PriceConsumerVerticle;
import verticles.QuotePushVerticle;

/**
 * Fan-out of quotes to WebSocket clients, end to end: ticks produced to Kafka at a steady rate, stored
 * in batches, published on the bus and pushed to N clients that all follow the same symbols. Latency is
 * receive time minus the tick's timestamp (set at produce time), so it spans Kafka, the batch flush,
 * the PostgreSQL transaction, the event bus and the WebSocket write. The same run first measures a
 * single client as the baseline, so the fan-out cost shows as a ratio on the same machine and moment.
 *
 * <pre>mvn -B test -Dtest=QuoteFanOutBenchmark -Dgroups=benchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.clients=200 -Dbench.ticksPerSecond=2000 -Dbench.seconds=10 -Dbench.symbols=20</pre>
 */
@Tag("benchmark")
class QuoteFanOutBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteFanOutBenchmark.class);
  private static final int MAX_LATENCY_MS = 10_000;

  private final int clients = Integer.getInteger("bench.clients", 200);
  private final int ticksPerSecond = Integer.getInteger("bench.ticksPerSecond", 2000);
  private final int seconds = Integer.getInteger("bench.seconds", 10);
  private final int symbolCount = Integer.getInteger("bench.symbols", 20);

  /** What one phase measured: produce-to-receive latencies in a 1 ms histogram. */
  private static final class Phase {
    final AtomicLongArray histogram = new AtomicLongArray(MAX_LATENCY_MS + 1);
    final AtomicLong received = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    long lastCount = -1;

    void record(String text) {
      long now = System.currentTimeMillis();
      JsonObject quotes = new JsonObject(text).getJsonObject("quotes");
      if (quotes == null) {
        return;
      }
      frames.incrementAndGet();
      quotes.forEach(entry -> {
        long latency = now - ((JsonObject) entry.getValue()).getLong("timestamp_ms");
        histogram.incrementAndGet((int) Math.max(0, Math.min(MAX_LATENCY_MS, latency)));
        received.incrementAndGet();
      });
    }

    /** Quiet for a moment after producing stopped: every client has had its last frame. */
    boolean settled() {
      long now = received.get();
      boolean settled = now == lastCount && now > 0;
      lastCount = now;
      return settled;
    }

    long percentile(double q) {
      long rank = (long) Math.ceil(q * received.get());
      long seen = 0;
      for (int ms = 0; ms <= MAX_LATENCY_MS; ms++) {
        seen += histogram.get(ms);
        if (seen >= rank && rank > 0) {
          return ms;
        }
      }
      return MAX_LATENCY_MS;
    }
  }

  @Test
  void fanOut() {
    Vertx clientVertx = Vertx.vertx();
    ServiceUnderTest service = ServiceUnderTest.start(new JsonObject()
        .put(ConfigKeys.WS_MAX_CONNECTIONS, Math.max(1000, clients)));
    int pushPort = service.pushPort();
    try {
      Phase baseline = measure(service, clientVertx, pushPort, 1, "B");
      Phase fanned = measure(service, clientVertx, pushPort, clients, "F");
      LOG.info("FAN-OUT {} clients vs 1-client baseline in the same run: p50 {} vs {} ms, p99 {} vs {} ms (p99 ratio {})",
          clients, fanned.percentile(0.50), baseline.percentile(0.50), fanned.percentile(0.99),
          baseline.percentile(0.99), String.format("%.2f", (double) fanned.percentile(0.99)
              / Math.max(1, baseline.percentile(0.99))));
    } finally {
      Await.result(clientVertx.close(), Duration.ofSeconds(60));
      service.close();
    }
  }

  private Phase measure(ServiceUnderTest service, Vertx clientVertx, int pushPort, int clientCount, String tag) {
    Phase phase = new Phase();
    String run = tag + Long.toString(System.currentTimeMillis() % 1_000_000, 36).toUpperCase();
    List<String> symbols = IntStream.range(0, symbolCount).mapToObj(i -> "FAN" + run + "S" + i).toList();
    List<WebSocket> sockets = connect(clientVertx, pushPort, symbols, clientCount, phase);
    long total = produce(service, symbols);
    Await.until("the last ticks to arrive", Duration.ofSeconds(60), phase::settled);
    LOG.info("FAN-OUT clients={} symbols={} ticks/s={} seconds={} ticksProduced={} framesReceived={} quotesReceived={} "
            + "p50={}ms p90={}ms p99={}ms max={}ms",
        clientCount, symbolCount, ticksPerSecond, seconds, total, phase.frames.get(), phase.received.get(),
        phase.percentile(0.50), phase.percentile(0.90), phase.percentile(0.99), phase.percentile(1.0));
    Await.result(Future.all(sockets.stream().map(WebSocket::close).toList()));
    return phase;
  }

  private List<WebSocket> connect(Vertx vertx, int port, List<String> symbols, int clientCount, Phase phase) {
    String subscribe = new JsonObject().put("type", "subscribe").put("symbols", new JsonArray(new ArrayList<>(symbols))).encode();
    List<Future<WebSocket>> connecting = new ArrayList<>();
    for (int i = 0; i < clientCount; i++) {
      connecting.add(vertx.createWebSocketClient().connect(port, "127.0.0.1", QuotePushVerticle.PATH).onSuccess(ws -> {
        ws.textMessageHandler(phase::record);
        ws.writeTextMessage(subscribe);
      }));
    }
    Await.result(Future.all(connecting), Duration.ofSeconds(60));
    return connecting.stream().map(Future::result).toList();
  }

  /** Produces at a steady rate in 10 ms slices; each tick carries its send time as timestamp_ms. */
  private long produce(ServiceUnderTest service, List<String> symbols) {
    KafkaProducer<String, String> producer = KafkaProducer.create(service.vertx, KafkaConfigs.producer(service.config));
    int perSlice = Math.max(1, ticksPerSecond / 100);
    long slices = seconds * 100L;
    AtomicLong sent = new AtomicLong();
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    AtomicLong slice = new AtomicLong();
    service.vertx.setPeriodic(10, id -> {
      for (int i = 0; i < perSlice; i++) {
        long n = sent.incrementAndGet();
        String symbol = symbols.get((int) (n % symbols.size()));
        JsonObject tick = new JsonObject().put("s", symbol).put("p", (n % 1000) + "." + (n % 100)).put("q", 1)
            .put("t", System.currentTimeMillis()).put("x", "BENCH");
        producer.send(KafkaProducerRecord.create(PriceConsumerVerticle.TOPIC, symbol, tick.encode()));
      }
      if (slice.incrementAndGet() >= slices) {
        service.vertx.cancelTimer(id);
        producer.flush().onComplete(ignored -> done.complete());
      }
    });
    Await.result(done.future(), Duration.ofSeconds(seconds + 60L));
    producer.close();
    LOG.info("produced {} ticks in {} s", sent.get(), seconds);
    return sent.get();
  }
}
