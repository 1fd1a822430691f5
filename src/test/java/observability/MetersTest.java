package observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import push.QuoteProtocol;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;

/**
 * Every business, HTTP and JVM meter is on /metrics, and the ones traffic should move do move:
 * trades by source and outcome, validation failures by code, expiries, dead letters by topic, batch
 * sizes, WebSocket connections; HTTP timings are labelled by route template with histogram buckets.
 */
@Tag("integration")
class MetersTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          TestInfra::vertxWithMetrics,
          new JsonObject().put(ConfigKeys.EXPIRY_INTERVAL_MS, 3_600_000));

  private static KafkaTestClient kafka;

  @BeforeAll
  static void start() {
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @Test
  void everyMeterIsPresentAndTrafficMovesThem() {
    String scrapeBefore = scrape();
    String id = "MET-" + UUID.randomUUID();
    assertEquals(
        201,
        service
            .postJson("/api/v1/trades", Trades.json(id, 2, "B1", TestClock.today().plusYears(1)))
            .statusCode());
    assertEquals(
        400,
        service
            .postJson("/api/v1/trades", Trades.json(id, 1, "B1", TestClock.today().plusYears(1)))
            .statusCode());
    assertEquals(
        400,
        service
            .postRaw(
                "/api/v1/trades", "application/json", io.vertx.core.buffer.Buffer.buffer("{oops"))
            .statusCode());
    assertEquals(200, service.get("/api/v1/trades/" + id).statusCode());
    String kafkaId = "MEK-" + UUID.randomUUID();
    kafka.send(
        Topics.TRADES,
        kafkaId,
        Trades.json(kafkaId, 1, "B1", TestClock.today().plusYears(1)).encode());
    kafka.send(Topics.TRADES, "poison", "not json at all");
    String matured = "MEX-" + UUID.randomUUID();
    service.sql(
        "INSERT INTO trades (trade_id, version, counter_party_id, book_id, maturity_date,"
            + " created_date, expired) VALUES ($1, 1, 'CP', 'B1', $2, $2, false)",
        matured,
        TestClock.today().minusDays(3));
    assertEquals(200, service.postJson("/api/v1/expire-trades", new JsonObject()).statusCode());
    WebSocket socket =
        Await.result(
            service
                .vertx
                .createWebSocketClient()
                .connect(
                    TestInfra.socketWithToken(
                        service.vertx, service.pushPort(), QuoteProtocol.PATH)));
    Await.result(
        socket.writeTextMessage(
            new JsonObject()
                .put("type", "subscribe")
                .put("symbols", new JsonArray().add("METX"))
                .encode()));

    Await.until(
        "traffic on the meters",
        Duration.ofSeconds(30),
        () -> {
          String now = scrape();
          return value(now, "trades_processed_total", "outcome=\"created\",source=\"kafka\"") >= 1
              && value(now, "dlq_sends_total", "topic=\"trades.dlq\"") >= 1
              && value(now, "ws_connections", "") >= 1;
        });
    String after = scrape();
    Await.result(socket.close());

    assertMoved(
        scrapeBefore, after, "trades_processed_total", "outcome=\"created\",source=\"rest\"");
    assertMoved(
        scrapeBefore, after, "trades_processed_total", "outcome=\"rejected\",source=\"rest\"");
    assertMoved(
        scrapeBefore,
        after,
        "validation_failures_total",
        "code=\"INVALID_VERSION\",source=\"rest\"");
    assertMoved(
        scrapeBefore,
        after,
        "validation_failures_total",
        "code=\"MALFORMED_JSON\",source=\"rest\"");
    assertMoved(
        scrapeBefore,
        after,
        "validation_failures_total",
        "code=\"MALFORMED_JSON\",source=\"kafka\"");
    assertMoved(scrapeBefore, after, "trades_expired_total", "");
    assertMoved(scrapeBefore, after, "trades_upsert_batch_size_count", "");
    assertTrue(value(after, "ws_subscribed_symbols", "") >= 1, "ws_subscribed_symbols");

    for (String present :
        List.of(
            "retries_total",
            "kafka_consumer_in_flight_records",
            "kafka_consumer_paused_partitions",
            "kafka_consumer_fetch_manager_records_lag_max",
            "outbox_backlog_rows",
            "outbox_oldest_age_seconds",
            "audit_buffered",
            "audit_dropped_total",
            "ws_conflated_quotes_total",
            "events_persist_batch_size_count",
            "records_ingest_batch_size_count",
            "jvm_memory_used_bytes",
            "jvm_gc_live_data_size_bytes",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "process_files_open_files",
            "process_uptime_seconds")) {
      assertTrue(
          Pattern.compile("(?m)^" + present + "[{ ]").matcher(after).find(),
          present + " is on /metrics");
    }
    assertTrue(
        after.contains("route=\"/api/v1/trades/:tradeId\""),
        "HTTP meters labelled by route template");
    assertFalse(after.contains("route=\"/api/v1/trades/" + id + "\""), "never by raw path");
    assertTrue(
        Pattern.compile("(?m)^vertx_http_server_response_time_seconds_bucket\\{.*le=")
            .matcher(after)
            .find(),
        "response times as histogram buckets, for percentiles");
  }

  /** The Grafana dashboard in deploy/ draws only series the service really exports. */
  @Test
  void theGrafanaDashboardUsesOnlyExportedNames() throws java.io.IOException {
    JsonObject dashboard =
        new JsonObject(
            java.nio.file.Files.readString(
                java.nio.file.Path.of("deploy", "grafana-dashboard.json")));
    // GC pauses are recorded from the first collection on; the service runs in this JVM, so make
    // one
    System.gc();
    String scrape =
        Await.until(
            "a GC pause recorded",
            Duration.ofSeconds(10),
            () -> io.vertx.core.Future.succeededFuture(scrape()),
            text -> text.contains("jvm_gc_pause_seconds_sum"));
    int checked = 0;
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        checked += assertSeriesExported(((JsonObject) target).getString("expr"), scrape);
      }
    }
    assertTrue(checked >= 25, "the dashboard's queries were read: " + checked);
  }

  /**
   * Metric names in a PromQL expression: words with an underscore that are neither functions nor
   * labels.
   */
  private static int assertSeriesExported(String expr, String scrape) {
    String withoutLabels = expr.replaceAll("by \\([^)]*\\)", "").replaceAll("\\{[^}]*}", "");
    Matcher series =
        Pattern.compile("\\b([a-z][a-z0-9]*_[a-z0-9_]+)\\b(?!\\s*\\()").matcher(withoutLabels);
    int checked = 0;
    while (series.find()) {
      String name = series.group(1);
      assertTrue(
          Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find(),
          "the dashboard's " + name + " is on /metrics");
      checked++;
    }
    return checked;
  }

  private static String scrape() {
    return service.scrape();
  }

  private static void assertMoved(String before, String after, String name, String labels) {
    assertTrue(
        value(after, name, labels) > value(before, name, labels),
        name
            + "{"
            + labels
            + "} moved: "
            + value(before, name, labels)
            + " -> "
            + value(after, name, labels));
  }

  /** The value of a series whose labels contain {@code labels}, or 0 when absent. */
  private static double value(String scrape, String name, String labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
            .matcher(scrape);
    double sum = 0;
    while (m.find()) {
      if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }
}
