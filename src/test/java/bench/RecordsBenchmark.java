package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import store.PgPools;
import support.Await;
import support.KafkaTestClient;
import support.TestInfra;

/**
 * {@code POST /records} → its message on {@code notifications}: {@code wrk} at saturation, timed
 * from the first POST until the notification of every accepted record arrived; then the
 * POST-to-notification latency at half the peak rate with an open-loop Vert.x client. Baseline in
 * the same run: {@code pgbench} running the reference statement ({@link Bench#REFERENCE}), the
 * database's single-row ceiling.
 */
@Tag("benchmark")
class RecordsBenchmark {
  private static final int CONNECTIONS = 64;
  private static final int PGBENCH_CLIENTS = 16;
  private static final Pattern RECORD_ID = Pattern.compile("\"recordId\":\"([^\"]+)\"");

  private final Map<String, Promise<Void>> awaited = new ConcurrentHashMap<>();

  /** When each open-loop record was answered 202 (wall clock, ms), for the hop breakdown. */
  private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

  /**
   * Where the open-loop latency goes, per record: POST to 202 (the edge and the producer's
   * acknowledgement), 202 to the notification's send by the outbox (the consumer, the persistence
   * transaction, the outbox's pick-up), and that send to its arrival here (the last Kafka hop).
   */
  private final Histogram postTo202 = new Histogram(60_000, 3);

  private final Histogram acceptedToSent = new Histogram(60_000, 3);
  private final Histogram sentToReceived = new Histogram(60_000, 3);
  private final Map<String, AtomicLong> notifiedByRun = new ConcurrentHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();

  @Test
  void recordsAgainstPgbench() throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pg = PgPools.create(vertx, TestInfra.config());
    String bootstrap = TestInfra.config().getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    try (KafkaTestClient admin = new KafkaTestClient(vertx, bootstrap)) {
      admin.createTopic("records.in", 3);
      admin.createTopic(Topics.NOTIFICATIONS, 3);
    }
    Thread reader = new Thread(() -> readNotifications(bootstrap), "bench-notifications");
    reader.start();
    Bench.Service service = Bench.startService("records", "api,records,outbox", null);
    List<Double> rates = new ArrayList<>();
    List<Double> pgbench = new ArrayList<>();
    List<Bench.WrkResult> posts = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    try {
      Bench.progress("records warm-up " + Bench.WARMUP_SECONDS + " s");
      saturate(service, "warm", Bench.WARMUP_SECONDS);
      for (int run = 1; run <= Bench.RUNS; run++) {
        pgbench.add(Bench.referencePgbench(pg, run, PGBENCH_CLIENTS, Bench.SECONDS));
        Bench.CpuWindow window = new Bench.CpuWindow(service.process());
        long started = System.nanoTime();
        Bench.WrkResult result = saturate(service, "R" + run, Bench.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        rates.add(result.requests() / seconds);
        cpu.add(window.cores());
        posts.add(result);
        Bench.progress(
            String.format(
                "run %d: %.0f records/s POST to notification (%d POSTs answered 202 at %.0f/s), "
                    + "pgbench %.0f tps",
                run,
                rates.get(rates.size() - 1),
                result.requests(),
                result.rate(),
                pgbench.get(pgbench.size() - 1)));
      }
      int halfRate = (int) (Bench.median(rates) / 2);
      Bench.progress(
          "open loop at half the peak: " + halfRate + " records/s for " + Bench.SECONDS + " s");
      OpenLoop.Result half = halfPeak(vertx, service, halfRate);
      Bench.progress("open loop by hop: " + describeHops());
      double ratio = Bench.median(rates) / Bench.median(pgbench);
      new BenchRow(
              "POST /records -> notifications",
              Bench.median(rates),
              "records/s",
              half.p50Ms(),
              half.p95Ms(),
              half.p99Ms(),
              half.failed(),
              Bench.median(cpu),
              Bench.mb(service.process().peakRssBytes()),
              "pgbench, " + Bench.REFERENCE_NAME + ", " + PGBENCH_CLIENTS + " clients (tps)",
              Bench.median(pgbench),
              ratio,
              "p99 <= 250 ms POST to notification at half the peak",
              half.p99Ms() <= 250,
              rates,
              "throughput: wrk "
                  + CONNECTIONS
                  + " connections for "
                  + Bench.SECONDS
                  + " s, counted to the last notification "
                  + "read back from Kafka for every 202; latency columns: POST to notification at "
                  + halfRate
                  + " records/s, open loop (max "
                  + half.maxMs()
                  + " ms); by hop: "
                  + describeHops()
                  + "; POST p99 under wrk "
                  + Bench.median(posts.stream().map(Bench.WrkResult::p99Ms).toList())
                  + " ms")
          .write();
    } finally {
      service.close();
      stopped.set(true);
      reader.join();
      Await.result(pg.close());
      Await.result(vertx.close());
    }
  }

  /** wrk for {@code seconds}, then waits until every accepted record's notification arrived. */
  private Bench.WrkResult saturate(Bench.Service service, String run, int seconds) {
    Bench.WrkResult result = Bench.wrk(service.url(), "records.lua", CONNECTIONS, seconds, run);
    assertEquals(0, result.errors(), run + ": every POST answered 202");
    AtomicLong notified = notifiedByRun.computeIfAbsent(run, r -> new AtomicLong());
    // wrk counts the answers it read; a request in flight when it stopped may also have been
    // accepted.
    Await.until(
        run + ": a notification for each of " + result.requests() + " accepted records",
        Duration.ofMinutes(5),
        () -> notified.get() >= result.requests());
    return result;
  }

  private OpenLoop.Result halfPeak(Vertx vertx, Bench.Service service, int rate) {
    WebClient client =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(service.port()),
            new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    try {
      OpenLoop.Result result =
          OpenLoop.warmedUp(
              vertx,
              rate,
              Bench.SECONDS,
              i -> {
                if (i == 0) {
                  resetHops(); // the measured run starts again at 0, after the warm-up's
                }
                String id = "H-" + System.nanoTime() + "-" + i;
                long sentAt = System.currentTimeMillis();
                Promise<Void> notified = Promise.promise();
                awaited.put(id, notified);
                return client
                    .post("/records")
                    .putHeader("Authorization", "Bearer " + Bench.operatorToken())
                    .sendJsonObject(
                        new JsonObject()
                            .put("recordId", id)
                            .put("time", "2025-08-01T10:00:00Z")
                            .put("sourceId", "S1")
                            .put("destinationId", "D" + i % 50)
                            .put("type", "positive")
                            .put("value", "12.5")
                            .put("unit", "EUR")
                            .put("reference", "R" + i % 7))
                    .compose(
                        response -> {
                          if (response.statusCode() != 202) {
                            return Future.failedFuture("status " + response.statusCode());
                          }
                          long now = System.currentTimeMillis();
                          acceptedAt.put(id, now);
                          record(postTo202, now - sentAt);
                          return notified.future();
                        });
              });
      assertEquals(0, result.failed(), "every open-loop POST answered 202 and was notified");
      return result;
    } finally {
      client.close();
    }
  }

  /**
   * Counts notifications per run prefix and completes the awaited ones; reads the topic from its
   * start, so none is missed while the group joins.
   */
  private void readNotifications(String bootstrap) {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "group.id",
            "bench-" + System.nanoTime(),
            "auto.offset.reset",
            "earliest",
            "key.deserializer",
            StringDeserializer.class.getName(),
            "value.deserializer",
            StringDeserializer.class.getName()));
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(Set.of(Topics.NOTIFICATIONS));
      while (!stopped.get()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          Matcher id = RECORD_ID.matcher(record.value());
          if (id.find()) {
            hops(id.group(1), record.timestamp());
            notified(id.group(1));
          }
        }
      }
    }
  }

  /** The notification's CreateTime is when the outbox handed it to its producer. */
  private void hops(String recordId, long sentAt) {
    Long accepted = acceptedAt.remove(recordId);
    if (accepted != null) {
      record(acceptedToSent, sentAt - accepted);
      record(sentToReceived, System.currentTimeMillis() - sentAt);
    }
  }

  private void record(Histogram histogram, long ms) {
    synchronized (histogram) {
      histogram.recordValue(Math.max(0, Math.min(ms, 60_000)));
    }
  }

  private void resetHops() {
    for (Histogram histogram : List.of(postTo202, acceptedToSent, sentToReceived)) {
      synchronized (histogram) {
        histogram.reset();
      }
    }
  }

  /** E.g. "POST->202 p50 3 / p99 12 ms; ...". */
  private String describeHops() {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Histogram> hop :
        List.of(
            Map.entry("POST->202", postTo202),
            Map.entry("202->notification sent by the outbox", acceptedToSent),
            Map.entry("sent->received", sentToReceived))) {
      synchronized (hop.getValue()) {
        text.append(
            String.format(
                "%s%s p50 %d / p99 %d / max %d ms",
                text.length() == 0 ? "" : "; ",
                hop.getKey(),
                hop.getValue().getValueAtPercentile(50),
                hop.getValue().getValueAtPercentile(99),
                hop.getValue().getMaxValue()));
      }
    }
    return text.toString();
  }

  private void notified(String recordId) {
    notifiedByRun
        .computeIfAbsent(recordId.substring(0, recordId.indexOf('-')), r -> new AtomicLong())
        .incrementAndGet();
    Promise<Void> promise = awaited.remove(recordId);
    if (promise != null) {
      promise.tryComplete();
    }
  }
}
