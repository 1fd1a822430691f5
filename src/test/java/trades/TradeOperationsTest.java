package trades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import audit.Audit;
import contract.Addresses;
import contract.ConfigKeys;
import contract.Headers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mongo.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;
import verticles.AuditWriterVerticle;

/** Expiry, audit trail, statistics and health against the real stores. */
@ExtendWith(VertxExtension.class)
@Tag("integration")
class TradeOperationsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final LocalDate TODAY = TestClock.today();
  private static final String TRADES = "/api/v1/trades";

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "audit,trades,expiry,api"));

  private static MongoClient mongo;

  @BeforeAll
  static void deploy() {
    mongo = MongoClients.create(service.vertx, service.config);
  }

  @AfterAll
  static void close() {
    mongo.close();
  }

  @BeforeEach
  void clean() {
    service.truncate("trades", "job_runs");
    drainAuditWriter();
    Await.result(mongo.removeDocuments(Audit.AUDIT_LOGS, new JsonObject()));
    Await.result(mongo.removeDocuments(Audit.TRADE_EVENTS, new JsonObject()));
  }

  /**
   * The writer keeps arrival order, so once a marker is stored every earlier entry is stored too.
   */
  private static void drainAuditWriter() {
    String marker = "drain-" + UUID.randomUUID();
    Audit.trade(service.vertx, marker, Audit.Action.CREATE, true, new JsonObject(), marker, "test");
    Await.until(
        "audit writer drained",
        WAIT,
        () ->
            Await.result(mongo.count(Audit.AUDIT_LOGS, new JsonObject().put("trade_id", marker)))
                == 1L);
  }

  private static void insertDirectly(String id, String book, LocalDate maturity) {
    service.sql(
        "INSERT INTO trades (trade_id, version, counter_party_id, book_id, maturity_date,"
            + " created_date) VALUES ($1, 1, 'CP-1', $2, $3, $4)",
        id,
        book,
        maturity,
        TODAY.minusDays(30));
  }

  private static JsonObject auditPage(String query) {
    HttpResponse<Buffer> response = service.get("/api/v1/audit-logs" + query);
    assertEquals(200, response.statusCode(), response::bodyAsString);
    return response.bodyAsJsonObject();
  }

  @Test
  void manualExpiryFlagsMaturedTradesOnceAndRecordsAnEvent() {
    insertDirectly("OLD-1", "B1", TODAY.minusDays(1));
    insertDirectly("OLD-2", "B1", TODAY.minusDays(100));
    insertDirectly("LIVE", "B1", TODAY);
    HttpResponse<Buffer> first = Await.result(service.http.post("/api/v1/expire-trades").send());
    assertEquals(200, first.statusCode(), first::bodyAsString);
    assertEquals(2L, first.bodyAsJsonObject().getLong("expired"));
    assertEquals(TODAY.toString(), first.bodyAsJsonObject().getString("cutoff"));
    assertEquals(
        List.of("OLD-1", "OLD-2"),
        service.sql("SELECT trade_id FROM trades WHERE expired ORDER BY trade_id").stream()
            .map(r -> r.getString(0))
            .toList());
    assertEquals(
        0L,
        Await.result(service.http.post("/api/v1/expire-trades").send())
            .bodyAsJsonObject()
            .getLong("expired"));

    JsonObject manualExpiry =
        new JsonObject().put("event_type", "TRADES_EXPIRED").put("data.trigger", "manual");
    List<JsonObject> events =
        Await.until(
            "TRADES_EXPIRED events",
            WAIT,
            () -> mongo.find(Audit.TRADE_EVENTS, manualExpiry),
            e -> e.size() == 2);
    assertTrue(events.stream().anyMatch(e -> e.getJsonObject("data").getLong("expired") == 2L));
  }

  @Test
  void timerTicksRunOncePerIntervalAcrossCallers() {
    insertDirectly("OLD", "B1", TODAY.minusDays(1));
    JsonObject tick = new JsonObject().put("trigger", "timer").put("min_interval_ms", 60_000);
    JsonObject first =
        Await.result(service.vertx.eventBus().<JsonObject>request(Addresses.TRADES_EXPIRE, tick))
            .body();
    JsonObject second =
        Await.result(service.vertx.eventBus().<JsonObject>request(Addresses.TRADES_EXPIRE, tick))
            .body();
    assertTrue(first.getBoolean("ran"));
    assertEquals(1L, first.getLong("expired"));
    assertFalse(second.getBoolean("ran"), "a second node's tick in the same interval does nothing");
  }

  @Test
  void everyActionIsAuditedWithSourceAndCorrelationId() {
    JsonObject trade = Trades.json("AUD-1", 1, "B1", TODAY.plusDays(5));
    Await.result(
        service
            .http
            .post(TRADES)
            .putHeader("X-Correlation-ID", "corr-aud-1")
            .sendJsonObject(trade));
    service.postJson(TRADES, trade.copy().put("version", 2));
    service.postJson(TRADES, trade.copy().put("version", 1));
    service.delete(TRADES + "/AUD-1");

    JsonObject page =
        Await.until(
            "4 audit entries",
            WAIT,
            () -> service.pollAuditLogs(Map.of("trade_id", "AUD-1")),
            body -> body.getInteger("count") == 4);
    List<String> actions =
        page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("action")).toList();
    assertEquals(
        List.of("DELETE", "VALIDATION_FAILED", "UPDATE", "CREATE"), actions, "newest first");
    JsonObject created = page.getJsonArray("items").getJsonObject(3);
    assertEquals("success", created.getString("status"));
    assertEquals("rest", created.getString("source"));
    assertEquals("corr-aud-1", created.getString("correlation_id"));
    assertNotNull(created.getString("timestamp"));
    assertEquals(
        "INVALID_VERSION",
        page.getJsonArray("items").getJsonObject(1).getJsonObject("details").getString("error"));

    assertEquals(1, auditPage("?trade_id=AUD-1&action=CREATE").getInteger("count"));
    assertEquals(1, auditPage("?trade_id=AUD-1&status=failed").getInteger("count"));
    assertEquals(2, auditPage("?trade_id=AUD-1&limit=2").getInteger("count"));
    assertEquals(0, auditPage("?trade_id=AUD-1&from=2999-01-01T00:00:00Z").getInteger("count"));
  }

  /**
   * Entries written in the same millisecond too: the walk resumes after the last one by (timestamp,
   * _id).
   */
  @Test
  void auditLogsArePagedByCursorEachEntryOnce() {
    for (int i = 0; i < 8; i++) {
      Audit.trade(
          service.vertx,
          "PAGED",
          Audit.Action.UPDATE,
          true,
          new JsonObject().put("n", i),
          "corr-" + i,
          "rest");
    }
    drainAuditWriter();
    List<Integer> seen = new java.util.ArrayList<>();
    String next = "/api/v1/audit-logs?trade_id=PAGED&limit=3";
    int pages = 0;
    while (next != null) {
      JsonObject page = auditPage(next.substring("/api/v1/audit-logs".length()));
      page.getJsonArray("items")
          .forEach(o -> seen.add(((JsonObject) o).getJsonObject("details").getInteger("n")));
      assertFalse(
          page.getJsonArray("items").stream().anyMatch(o -> ((JsonObject) o).containsKey("_id")));
      next = page.getString("next");
      pages++;
    }
    assertEquals(3, pages);
    assertEquals(List.of(7, 6, 5, 4, 3, 2, 1, 0), seen, "newest first, each once");
    HttpResponse<Buffer> bad = service.get("/api/v1/audit-logs?cursor=MTp4eXo");
    assertEquals(400, bad.statusCode(), bad::bodyAsString);
    assertEquals("cursor", bad.bodyAsJsonObject().getString("field"));
  }

  @Test
  void auditFiltersAreValidated() {
    assertEquals(
        "action",
        service.get("/api/v1/audit-logs?action=EXPLODE").bodyAsJsonObject().getString("field"));
    assertEquals(400, service.get("/api/v1/audit-logs?limit=100000").statusCode());
    assertEquals(
        "from",
        service.get("/api/v1/audit-logs?from=yesterday").bodyAsJsonObject().getString("field"));
  }

  @Test
  void statisticsCountTradesBooksSourcesAndFailures() {
    service.postJson(TRADES, Trades.json("S1", 1, "B1", TODAY.plusDays(5)));
    service.postJson(TRADES, Trades.json("S2", 1, "B2", TODAY.plusDays(5)));
    service.postJson(TRADES, Trades.json("S2", 0, "B2", TODAY.plusDays(5)));
    insertDirectly("S3", "B2", TODAY.minusDays(3));
    Await.result(service.http.post("/api/v1/expire-trades").send());

    JsonObject stats =
        Await.until(
            "audit counts",
            WAIT,
            () -> service.http.get("/api/v1/statistics").send().map(HttpResponse::bodyAsJsonObject),
            body ->
                body.getLong("validation_failures", 0L) == 1L
                    && body.getJsonObject("processed_by_source").getLong("rest") == 2L);
    assertEquals(3L, stats.getLong("total_trades"));
    assertEquals(2L, stats.getLong("active_trades"));
    assertEquals(1L, stats.getLong("expired_trades"));
    assertEquals(
        new JsonObject().put("B1", 1L).put("B2", 2L), stats.getJsonObject("trades_by_book"));
    assertEquals(2L, stats.getJsonObject("processed_by_source").getLong("rest"));
    assertEquals(1.0 / 3, stats.getDouble("validation_failure_rate"), 1e-9);
    assertEquals(0L, stats.getLong("dlq_count"));
    assertEquals(1L, stats.getJsonObject("last_expiry_run").getLong("expired"));
    assertEquals(
        "postgresql", stats.getJsonObject("counted_from").getString("processed_by_source"));
    assertTrue(stats.getJsonObject("counted_from").getString("dlq_count").startsWith("audit"));

    // The audit store losing its data (dev mode's in-memory stand-in on restart) changes no
    // PostgreSQL figure
    Await.result(mongo.dropCollection(Audit.AUDIT_LOGS));
    JsonObject afterLoss =
        Await.until(
            "statistics re-read",
            WAIT,
            () -> service.http.get("/api/v1/statistics").send().map(HttpResponse::bodyAsJsonObject),
            body -> body.getLong("dlq_count", -1L) == 0L && !body.containsKey("audit_unavailable"));
    assertEquals(2L, afterLoss.getJsonObject("processed_by_source").getLong("rest"));
    assertEquals(1L, afterLoss.getLong("validation_failures"));
    assertEquals(3L, afterLoss.getLong("total_trades"));
  }

  @Test
  void healthReportsEveryServiceAndFailsWhenKafkaIsDown() {
    JsonObject health = service.get("/api/v1/health").bodyAsJsonObject();
    assertEquals(
        new JsonObject()
            .put("postgres", "up")
            .put("kafka", "up")
            .put("mongodb", "up")
            .put("redis", "up"),
        health.getJsonObject("services"));
    assertEquals("healthy", health.getString("status"));
    assertEquals(200, service.get("/health/live").statusCode());
    assertEquals(200, service.get("/health/ready").statusCode());
    assertEquals(
        health.getJsonObject("services"),
        service.get("/health").bodyAsJsonObject().getJsonObject("services"),
        "seed 002's /health answers like /api/v1/health");

    TestInfra.get().stopKafka();
    try {
      // each report answers for HEALTH_CACHE_MS: the outage shows within it
      Await.until(
          "/api/v1/health reports Kafka down",
          WAIT,
          () -> {
            HttpResponse<Buffer> down = service.get("/api/v1/health");
            return down.statusCode() == 503
                && "down"
                    .equals(down.bodyAsJsonObject().getJsonObject("services").getString("kafka"));
          });
      Await.until("/health reports it too", WAIT, () -> service.get("/health").statusCode() == 503);
      Await.until(
          "/health/ready fails", WAIT, () -> service.get("/health/ready").statusCode() == 503);
      assertEquals(200, service.get("/health/live").statusCode());
    } finally {
      TestInfra.get().startKafka();
    }
    Await.until(
        "kafka healthy again", WAIT, () -> service.get("/api/v1/health").statusCode() == 200);
  }

  /**
   * MongoDB unreachable: trade writes are unaffected, and the bounded audit buffer drops the
   * excess.
   */
  @Test
  void tradeWritesDoNotWaitForAnUnreachableMongo(Vertx vertx) {
    JsonObject deadMongo =
        TestInfra.config()
            .put(ConfigKeys.ROLES, "trades,api")
            .put(
                ConfigKeys.MONGO_CONNECTION_STRING,
                "mongodb://127.0.0.1:" + ServiceUnderTest.unusedPort())
            .put(ConfigKeys.AUDIT_BUFFER_MAX, 5);
    Vertx isolated = Vertx.vertx();
    try {
      ServiceUnderTest degraded = ServiceUnderTest.start(isolated, deadMongo);
      String writer =
          Await.result(
              isolated.deployVerticle(
                  new AuditWriterVerticle(), new DeploymentOptions().setConfig(deadMongo)));
      long started = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        assertEquals(
            201,
            degraded
                .postJson(TRADES, Trades.json("NM-" + i, 1, "B1", TODAY.plusDays(1)))
                .statusCode());
      }
      assertTrue(
          Duration.ofNanos(System.nanoTime() - started).toMillis() < 10_000,
          "writes never waited on MongoDB");
      HttpResponse<Buffer> health = degraded.get("/api/v1/health");
      assertEquals(200, health.statusCode());
      assertEquals("degraded", health.bodyAsJsonObject().getString("status"));
      assertEquals(
          "down", health.bodyAsJsonObject().getJsonObject("services").getString("mongodb"));
      assertEquals(503, degraded.get("/api/v1/audit-logs").statusCode());
      Await.result(isolated.undeploy(writer));
      degraded.close();
    } finally {
      isolated.close();
    }
  }

  /** Buffered audit documents are written when the writer stops, even before their flush time. */
  @Test
  void auditWriterFlushesOnStop(Vertx vertx) {
    JsonObject slow =
        service
            .config
            .copy()
            .put(ConfigKeys.AUDIT_FLUSH_INTERVAL_MS, 3_600_000)
            .put(ConfigKeys.AUDIT_BATCH_SIZE, 10_000);
    Vertx isolated = Vertx.vertx();
    try {
      String writer =
          Await.result(
              isolated.deployVerticle(
                  new AuditWriterVerticle(), new DeploymentOptions().setConfig(slow)));
      String tag = UUID.randomUUID().toString();
      for (int i = 0; i < 25; i++) {
        isolated
            .eventBus()
            .send(
                Addresses.AUDIT_APPEND,
                new JsonObject().put("trade_id", tag).put("action", "CREATE"),
                new DeliveryOptions().addHeader(Headers.AUDIT_COLLECTION, Audit.AUDIT_LOGS));
      }
      Await.result(isolated.undeploy(writer));
      assertEquals(
          25L, Await.result(mongo.count(Audit.AUDIT_LOGS, new JsonObject().put("trade_id", tag))));
    } finally {
      Await.result(isolated.close());
    }
  }
}
