package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import push.QuoteProtocol;
import support.Await;
import support.TestInfra;

/**
 * Price ticks → Kafka → the price consumer (batches into PostgreSQL, Redis, {@code quotes.updated})
 * → the push verticle → WebSocket clients, end to end. N clients (10k by default) each follow 20 of
 * 500 symbols while ticks arrive at 1k/s; latency is receive time minus the tick's produce time.
 * Then one final tick per symbol with a known price, and every client must end with the final price
 * of each symbol it follows: conflation may drop intermediate quotes for a slow reader, never the
 * last one. Baseline in the same run: one client on 20 symbols under the same ticks.
 */
@Tag("benchmark")
class QuoteFanOutBenchmark {
  private static final int CLIENTS = Integer.getInteger("bench.clients", 10_000);
  private static final int SYMBOLS = Integer.getInteger("bench.symbols", 500);
  private static final int SYMBOLS_PER_CLIENT = Integer.getInteger("bench.symbolsPerClient", 20);
  private static final int TICKS_PER_SECOND = Integer.getInteger("bench.ticksPerSecond", 1_000);
  private static final int CONNECT_BURST = 500;
  private static final String SYMBOL = "{\"symbol\":\"";
  private static final String PRICE = "\"price\":\"";
  private static final String TIMESTAMP = "\"timestamp_ms\":";
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  /** What one client saw. Touched only by its event loop; read after the phase. */
  private static final class Client {
    final List<String> symbols;
    final Map<String, String> lastPrice = new HashMap<>();
    long frames;
    long quotes;
    boolean snapshot;
    long errors;

    Client(List<String> symbols) {
      this.symbols = symbols;
    }
  }

  /** One phase: its clients and their produce-to-receive latencies (microseconds). */
  private static final class Phase {
    final List<Client> clients = new ArrayList<>();
    final Histogram latencies = new Histogram(Duration.ofMinutes(2).toNanos() / 1000, 3);
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong closedByServer = new AtomicLong();
    volatile boolean measuring;
    volatile boolean finished;

    void received(Client client, String text) {
      synchronized (client) {
        record(client, text);
      }
    }

    /**
     * Reads a frame without building a JSON tree: with every client in this JVM on the service's
     * box, the clients' parsing would otherwise be what the benchmark measures. Quotes have the one
     * shape of {@code store.QuoteJson}: {@code {"symbol":…,"price":"…",…,"timestamp_ms":…}}.
     */
    private void record(Client client, String text) {
      long now = System.currentTimeMillis();
      if (text.startsWith("{\"type\":\"error\"")) {
        client.errors++;
        return;
      }
      boolean snapshot = text.startsWith("{\"type\":\"snapshot\"");
      if (!snapshot && !text.startsWith("{\"type\":\"quotes\"")) {
        return;
      }
      client.snapshot |= snapshot;
      client.frames++;
      for (int at = text.indexOf(SYMBOL); at >= 0; at = text.indexOf(SYMBOL, at + 1)) {
        String symbol = between(text, at + SYMBOL.length(), '"');
        int price = text.indexOf(PRICE, at) + PRICE.length();
        int timestamp = text.indexOf(TIMESTAMP, at) + TIMESTAMP.length();
        client.quotes++;
        client.lastPrice.put(symbol, between(text, price, '"'));
        if (measuring && !snapshot) {
          long sentAt = Long.parseLong(text, timestamp, endOfNumber(text, timestamp), 10);
          synchronized (latencies) {
            latencies.recordValue(Math.max(0, now - sentAt) * 1000);
          }
        }
      }
    }

    private static String between(String text, int from, char end) {
      return text.substring(from, text.indexOf(end, from));
    }

    private static int endOfNumber(String text, int from) {
      int end = from;
      while (end < text.length() && Character.isDigit(text.charAt(end))) {
        end++;
      }
      return end;
    }

    double p(double percentile) {
      synchronized (latencies) {
        return latencies.getValueAtPercentile(percentile) / 1000.0;
      }
    }
  }

  @Test
  void fanOutAgainstOneClient() {
    checkDescriptorLimit();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    String bootstrap = TestInfra.config().getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < SYMBOLS; i++) {
      symbols.add("FAN" + i);
    }
    List<Double> p99s = new ArrayList<>();
    List<Double> baselineP99s = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Phase> phases = new ArrayList<>();
    Bench.Service service =
        Bench.startService(
            "fanout",
            "prices,push",
            Map.of(
                ConfigKeys.WS_MAX_CONNECTIONS,
                Integer.toString(CLIENTS + 100),
                ConfigKeys.WS_MAX_CONNECTIONS_PER_CLIENT,
                Integer.toString(CLIENTS + 100)),
            List.of("-Xmx640m"));
    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
      WebSocketClient ws =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setMaxConnections(CLIENTS + 100)
                  .setDefaultHost("127.0.0.1")
                  .setDefaultPort(service.pushPort()));
      Bench.progress("fan-out warm-up: 1 client, " + Bench.WARMUP_SECONDS + " s of ticks");
      runPhase(ws, producer, symbols, 1, Bench.WARMUP_SECONDS, "warm");
      for (int run = 1; run <= Bench.RUNS; run++) {
        Phase baseline = runPhase(ws, producer, symbols, 1, Bench.SECONDS, "base" + run);
        baselineP99s.add(baseline.p(99));
        Bench.CpuWindow window = new Bench.CpuWindow(service.process());
        Phase fanned = runPhase(ws, producer, symbols, CLIENTS, Bench.SECONDS, "fan" + run);
        cpu.add(window.cores());
        p99s.add(fanned.p(99));
        rates.add(fanned.clients.stream().mapToLong(c -> c.quotes).sum() / (double) Bench.SECONDS);
        phases.add(fanned);
        Bench.progress(
            String.format(
                "run %d: %d clients p50 %.0f / p99 %.0f ms; 1 client p99 %.0f ms",
                run, CLIENTS, fanned.p(50), fanned.p(99), baseline.p(99)));
      }
      report(phases, p99s, baselineP99s, rates, cpu, Bench.mb(service.process().peakRssBytes()));
    } finally {
      service.close();
      Await.result(vertx.close(), Duration.ofMinutes(1));
    }
  }

  /**
   * Connects, measures the ticks, sends the final ones, checks every client's final state,
   * disconnects.
   */
  private Phase runPhase(
      WebSocketClient ws,
      KafkaProducer<String, String> producer,
      List<String> symbols,
      int clients,
      int seconds,
      String tag) {
    Phase phase = new Phase();
    List<WebSocket> sockets = connect(ws, phase, symbols, clients);
    Await.until(
        tag + ": every client's first snapshot",
        DEADLINE,
        () ->
            phase.clients.stream()
                .allMatch(
                    c -> {
                      synchronized (c) {
                        return c.snapshot || c.errors > 0;
                      }
                    }));
    phase.measuring = true;
    produce(producer, symbols, seconds);
    phase.measuring = false;
    Map<String, String> finals = produceFinal(producer, symbols, tag);
    try {
      Await.until(
          tag + ": every client holds the final quote of each of its symbols",
          DEADLINE,
          () -> missingFinals(phase, finals) == 0);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + ": "
              + missingFinals(phase, finals)
              + " final quotes missing; "
              + phase.closedByServer.get()
              + " connections closed by the server, "
              + phase.clients.stream().filter(c -> c.errors > 0).count()
              + " clients got error frames",
          e);
    }
    phase.finished = true;
    assertEquals(0, phase.connectFailures.get(), tag + ": connect failures");
    Await.result(Future.all(sockets.stream().map(WebSocket::close).toList()), DEADLINE);
    return phase;
  }

  private List<WebSocket> connect(
      WebSocketClient ws, Phase phase, List<String> symbols, int clients) {
    List<WebSocket> sockets = new ArrayList<>();
    for (int from = 0; from < clients; from += CONNECT_BURST) {
      List<Future<WebSocket>> burst = new ArrayList<>();
      for (int i = from; i < Math.min(clients, from + CONNECT_BURST); i++) {
        Client client = new Client(symbolsOf(i, symbols));
        phase.clients.add(client);
        String subscribe =
            new JsonObject()
                .put("type", "subscribe")
                .put("symbols", new JsonArray(client.symbols))
                .encode();
        burst.add(
            // with a token: reads need one, as the service ships (AUTH_READS=token)
            ws.connect(
                    new WebSocketConnectOptions()
                        .setURI(QuoteProtocol.PATH + "?" + QuoteProtocol.DELTA_OPT_IN)
                        .addHeader("Authorization", "Bearer " + Bench.operatorToken()))
                .onSuccess(
                    socket -> {
                      socket.textMessageHandler(text -> phase.received(client, text));
                      socket.closeHandler(
                          v -> {
                            if (phase.measuring || !phase.finished) {
                              phase.closedByServer.incrementAndGet();
                            }
                          });
                      socket.writeTextMessage(subscribe);
                    })
                .onFailure(e -> phase.connectFailures.incrementAndGet()));
      }
      Await.result(Future.join(burst).otherwiseEmpty(), DEADLINE);
      burst.stream().filter(Future::succeeded).forEach(f -> sockets.add(f.result()));
    }
    return sockets;
  }

  /**
   * Client i follows SYMBOLS_PER_CLIENT symbols spread over the whole set, so every symbol has
   * followers.
   */
  private static List<String> symbolsOf(int client, List<String> symbols) {
    List<String> chosen = new ArrayList<>();
    int stride = Math.max(1, symbols.size() / SYMBOLS_PER_CLIENT);
    for (int k = 0; k < SYMBOLS_PER_CLIENT; k++) {
      chosen.add(symbols.get((client + k * stride) % symbols.size()));
    }
    return chosen;
  }

  /**
   * Ticks at a steady rate in 10 ms slices, round-robin over the symbols; each carries its send
   * time.
   */
  private static void produce(
      KafkaProducer<String, String> producer, List<String> symbols, int seconds) {
    int perSlice = Math.max(1, TICKS_PER_SECOND / 100);
    long start = System.nanoTime();
    long n = 0;
    for (long slice = 0; slice < seconds * 100L; slice++) {
      long due = start + slice * 10_000_000L;
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      for (int i = 0; i < perSlice; i++, n++) {
        String symbol = symbols.get((int) (n % symbols.size()));
        producer.send(
            new ProducerRecord<>(
                Topics.RAW_PRICES, symbol, tick(symbol, (1 + n % 1000) + "." + (n % 100))));
      }
    }
    producer.flush();
  }

  /** One last tick per symbol, with a price no earlier tick had. */
  private static Map<String, String> produceFinal(
      KafkaProducer<String, String> producer, List<String> symbols, String tag) {
    Map<String, String> finals = new HashMap<>();
    for (int i = 0; i < symbols.size(); i++) {
      String price = "5" + (Math.abs(tag.hashCode()) % 1000) + "." + i;
      finals.put(symbols.get(i), price);
      producer.send(
          new ProducerRecord<>(Topics.RAW_PRICES, symbols.get(i), tick(symbols.get(i), price)));
    }
    producer.flush();
    return finals;
  }

  private static long missingFinals(Phase phase, Map<String, String> finals) {
    long missing = 0;
    for (Client client : phase.clients) {
      synchronized (client) {
        for (String symbol : client.symbols) {
          String last = client.lastPrice.get(symbol);
          if (last == null
              || new BigDecimal(last).compareTo(new BigDecimal(finals.get(symbol))) != 0) {
            missing++;
          }
        }
      }
    }
    return missing;
  }

  private static String tick(String symbol, String price) {
    return new JsonObject()
        .put("s", symbol)
        .put("p", price)
        .put("q", 1)
        .put("t", System.currentTimeMillis())
        .put("x", "BENCH")
        .encode();
  }

  private static void report(
      List<Phase> phases,
      List<Double> p99s,
      List<Double> baselineP99s,
      List<Double> rates,
      List<Double> cpu,
      double peakRssMb) {
    double p99 = Bench.median(p99s);
    double baselineP99 = Bench.median(baselineP99s);
    double ratio = p99 / Math.max(1, baselineP99);
    Phase middle = phases.get(phases.size() / 2);
    List<Long> frames = middle.clients.stream().map(c -> c.frames).sorted().toList();
    long errors =
        phases.stream()
            .mapToLong(
                p -> p.connectFailures.get() + p.clients.stream().mapToLong(c -> c.errors).sum())
            .sum();
    new BenchRow(
            "WebSocket fan-out",
            Bench.median(rates),
            "quotes delivered/s",
            middle.p(50),
            middle.p(95),
            p99,
            errors,
            Bench.median(cpu),
            peakRssMb,
            "1 client on 20 symbols, same ticks (p99 ms)",
            baselineP99,
            ratio,
            "p99 < 50 ms; <= 1.5x the 1-client p99; RSS < 1 GiB",
            p99 < 50 && ratio <= 1.5 && peakRssMb < 1024,
            p99s,
            CLIENTS
                + " clients x "
                + SYMBOLS_PER_CLIENT
                + " of "
                + SYMBOLS
                + " symbols, "
                + TICKS_PER_SECOND
                + " ticks/s for "
                + Bench.SECONDS
                + " s per run; every client got the final quote of each of its symbols "
                + "in every run; frames per client min "
                + frames.get(0)
                + ", median "
                + frames.get(frames.size() / 2)
                + "; the ratio column is fan-out p99 / 1-client p99")
        .write();
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "acks",
            "1",
            "linger.ms",
            "1",
            "key.serializer",
            StringSerializer.class.getName(),
            "value.serializer",
            StringSerializer.class.getName()));
    return new KafkaProducer<>(props);
  }

  /** 10k client sockets here and 10k in the service: each process needs a descriptor per socket. */
  private static void checkDescriptorLimit() {
    long limit =
        ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
    if (limit < CLIENTS + 1000L) {
      throw new IllegalStateException(
          "the open-file limit is "
              + limit
              + "; "
              + CLIENTS
              + " clients need "
              + (CLIENTS + 1000)
              + ": raise it (ulimit -n) or lower -Dbench.clients");
    }
  }
}
