package records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import support.TestInfra;

/** Seed 002: POST /records → records.in → records + aggregate + outbox → notifications/alerts. */
@Tag("integration")
class RecordsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final BigDecimal THRESHOLD = new BigDecimal("100");

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "records,outbox,api")
              .put(ConfigKeys.RECORDS_ALERT_THRESHOLD, THRESHOLD.intValue())
              .put(ConfigKeys.RECORDS_PRODUCE_TIMEOUT_MS, 2000));

  private static KafkaTestClient kafka;
  private static List<KafkaConsumerRecord<String, String>> notifications;
  private static List<KafkaConsumerRecord<String, String>> alerts;

  @BeforeAll
  static void deploy() {
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
    kafka.createTopic("records.in", 3);
    notifications = kafka.read("notifications");
    alerts = kafka.read("alerts");
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @BeforeEach
  void clean() {
    service.truncate("records", "record_aggregates");
  }

  static JsonObject record(String id, String destination, String type, String value, Instant time) {
    return new JsonObject()
        .put("recordId", id)
        .put("time", time.toString())
        .put("sourceId", "source-a")
        .put("destinationId", destination)
        .put("type", type)
        .put("value", new BigDecimal(value))
        .put("unit", "SEK")
        .put("reference", "invoice-9");
  }

  private static long count(String sql, Object... args) {
    return service.sql(sql, args).iterator().next().getLong(0);
  }

  private static List<KafkaConsumerRecord<String, String>> about(
      List<KafkaConsumerRecord<String, String>> topic, String prefix) {
    return topic.stream()
        .filter(
            r ->
                new JsonObject(r.value())
                    .getJsonObject("record")
                    .getString("recordId")
                    .startsWith(prefix))
        .toList();
  }

  @Test
  void acceptedRecordsAreStoredAggregatedAndNotifiedExactlyOnce() {
    String p = "R-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    Instant t = Instant.parse("2024-03-01T12:00:00Z");
    HttpResponse<Buffer> accepted =
        service.postJson("/records", record(p + 1, "dest-1", "positive", "125.50", t));
    assertEquals(202, accepted.statusCode(), accepted::bodyAsString);
    assertEquals("accepted", accepted.bodyAsJsonObject().getString("status"));
    service.postJson("/records", record(p + 2, "dest-1", "negative", "25.25", t.plusSeconds(1)));
    service.postJson(
        "/records",
        record(p + 3, "dest-1", "positive", "100", t.plusSeconds(2))); // equal: no alert
    assertEquals(
        202,
        service.postJson("/records", record(p + 1, "dest-1", "positive", "125.50", t)).statusCode(),
        "a duplicate is accepted and has no second effect");

    Await.until("3 notifications", WAIT, () -> about(notifications, p).size() == 3);
    Await.until(
        "3 records stored",
        WAIT,
        () -> count("SELECT count(*) FROM records WHERE record_id LIKE $1", p + "%") == 3);
    Await.until("duplicate processed", WAIT, () -> kafkaLag() == 0);
    assertEquals(
        3,
        count(
            "SELECT count(*) FROM outbox WHERE topic = 'notifications' AND"
                + " payload->'record'->>'recordId' LIKE $1",
            p + "%"));
    assertEquals(
        3, about(notifications, p).size(), "exactly one notification per processed record");
    var aggregate =
        service
            .sql(
                "SELECT total, record_count FROM record_aggregates WHERE destination_id = 'dest-1'")
            .iterator()
            .next();
    assertEquals(0, new BigDecimal("200.25").compareTo(aggregate.getBigDecimal("total")));
    assertEquals(3L, aggregate.getLong("record_count"));
    JsonObject last =
        new JsonObject(
            about(notifications, p).stream()
                .filter(r -> r.value().contains(p + 3))
                .findFirst()
                .orElseThrow()
                .value());
    assertEquals(
        "200.25",
        last.getJsonObject("summary").getString("total"),
        "money is an exact decimal string");

    Await.until("1 alert", WAIT, () -> about(alerts, p).size() == 1);
    assertEquals(
        p + 1,
        new JsonObject(about(alerts, p).get(0).value())
            .getJsonObject("record")
            .getString("recordId"));
  }

  /** Records still queued in records.in (nothing to wait for when 0). */
  private static long kafkaLag() {
    kafka.awaitCaughtUp(
        service.config.getString(ConfigKeys.RECORDS_GROUP_ID), List.of("records.in"), WAIT);
    return 0;
  }

  @Test
  void invalidRecordsGet400NamingTheField() {
    JsonObject valid = record("V-1", "dest-1", "positive", "1", Instant.now());
    assertField(service.postJson("/records", valid.copy().put("type", "sideways")), "type");
    assertField(service.postJson("/records", valid.copy().put("value", "ten")), "value");
    assertField(service.postJson("/records", valid.copy().put("value", -5)), "value");
    assertField(service.postJson("/records", valid.copy().put("time", "yesterday")), "time");
    JsonObject missing = valid.copy();
    missing.remove("destinationId");
    assertField(service.postJson("/records", missing), "destinationId");
    HttpResponse<Buffer> malformed =
        service.postRaw("/records", "application/json", Buffer.buffer("{"));
    assertEquals("MALFORMED_JSON", malformed.bodyAsJsonObject().getString("error"));
    assertEquals(400, service.get("/records/aggregations?type=up").statusCode());
    assertEquals(
        "startTime",
        service.get("/records/aggregations?startTime=now").bodyAsJsonObject().getString("field"));
  }

  private static void assertField(HttpResponse<Buffer> response, String field) {
    assertEquals(400, response.statusCode(), response::bodyAsString);
    assertEquals(field, response.bodyAsJsonObject().getString("field"));
  }

  @Test
  void noAcceptanceWhileKafkaIsDown() {
    TestInfra.get().stopKafka();
    try {
      HttpResponse<Buffer> refused =
          service.postJson("/records", record("DOWN-1", "dest-1", "positive", "1", Instant.now()));
      assertEquals(503, refused.statusCode(), refused::bodyAsString);
      assertEquals("SERVICE_UNAVAILABLE", refused.bodyAsJsonObject().getString("error"));
      String message = refused.bodyAsJsonObject().getString("message");
      assertFalse(
          message.matches("(?is).*(exception|metadata|topic|records[.-]in|\\d+ ms).*"),
          "none of the broker's words reach the client: " + message);
    } finally {
      TestInfra.get().startKafka();
    }
  }

  @Test
  void aggregationsMatchAComputedOracle() {
    Random random = new Random(7);
    Instant base = Instant.parse("2024-03-01T00:00:00Z");
    List<JsonObject> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String type = random.nextBoolean() ? "positive" : "negative";
      String value = BigDecimal.valueOf(random.nextInt(100_000), 2).toPlainString();
      JsonObject r =
          record(
              "AGG-" + i,
              "dest-" + random.nextInt(4),
              type,
              value,
              base.plusSeconds(random.nextInt(86_400)));
      all.add(r);
      service.postJson("/records", r);
    }
    Await.until("60 records stored", WAIT, () -> count("SELECT count(*) FROM records") == 60);

    Instant start = base.plusSeconds(20_000);
    Instant end = base.plusSeconds(70_000);
    JsonObject body =
        service
            .get(
                "/records/aggregations?startTime="
                    + start
                    + "&endTime="
                    + end
                    + "&type=positive&size=2")
            .bodyAsJsonObject();
    Map<String, BigDecimal> expected = new TreeMap<>();
    all.stream()
        .filter(r -> r.getString("type").equals("positive"))
        .filter(
            r ->
                !Instant.parse(r.getString("time")).isBefore(start)
                    && !Instant.parse(r.getString("time")).isAfter(end))
        .forEach(
            r ->
                expected.merge(
                    r.getString("destinationId"),
                    new BigDecimal(r.getValue("value").toString()),
                    BigDecimal::add));
    assertTrue(
        body.getLong("total_estimate") >= 0,
        "an estimate, not a count: " + body.getValue("total_estimate"));
    Map<String, BigDecimal> actual = new TreeMap<>();
    collect(body, actual);
    String next = body.getString("next");
    while (next != null) {
      JsonObject page = service.get(next).bodyAsJsonObject();
      collect(page, actual);
      next = page.getString("next");
    }
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((dest, total) -> assertEquals(0, total.compareTo(actual.get(dest)), dest));

    JsonObject unfiltered = service.get("/records/aggregations?size=200").bodyAsJsonObject();
    assertNull(unfiltered.getString("next"));
    for (Object o : unfiltered.getJsonArray("items")) {
      JsonObject destination = (JsonObject) o;
      JsonArray records = destination.getJsonArray("records");
      BigDecimal running = BigDecimal.ZERO;
      for (Object ro : records) {
        JsonObject r = (JsonObject) ro;
        BigDecimal v = new BigDecimal(r.getValue("value").toString());
        running = running.add(r.getString("type").equals("negative") ? v.negate() : v);
        assertEquals(0, running.compareTo(new BigDecimal(r.getValue("runningTotal").toString())));
      }
      assertEquals(0, running.compareTo(new BigDecimal(destination.getValue("total").toString())));
    }
  }

  /**
   * Seed 002 returns every record: without paging parameters the whole listing streams out (past
   * one chunk of destinations, past the old silent cap of 1,000 records per destination), every
   * amount an exact decimal string. RECORDS_MAX_PER_DESTINATION caps it, and the answer says so.
   */
  @Test
  void withoutPagingEveryRecordStreamsOutAsExactDecimalStrings() {
    service.sql(
        "INSERT INTO records (record_id, time, source_id, destination_id, type, value, unit,"
            + " reference) SELECT 'BIG-' || i, timestamptz '2024-03-01Z' + i * interval '1 second',"
            + " 's', 'dest-big', 'positive', 125.5, 'SEK', 'r' FROM generate_series(1, 1500) i");
    service.sql(
        "INSERT INTO records (record_id, time, source_id, destination_id, type, value, unit,"
            + " reference) SELECT 'D-' || d || '-' || k, timestamptz '2024-03-01Z' + k * interval"
            + " '1 second', 's', 'dest-' || lpad(d::text, 3, '0'), CASE k WHEN 1 THEN 'positive'"
            + " ELSE 'negative' END, CASE k WHEN 1 THEN 10 ELSE 2.25 END, 'SEK', 'r' FROM"
            + " generate_series(1, 150) d, generate_series(1, 2) k");

    HttpResponse<Buffer> response = service.get("/records/aggregations");
    assertEquals(200, response.statusCode(), response::bodyAsString);
    assertEquals("chunked", response.getHeader("transfer-encoding"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(151, body.getJsonArray("items").size());
    assertEquals(151, body.getInteger("count"));
    assertNull(body.getValue("next"));
    assertNull(body.getValue("maxRecordsPerDestination"), "no cap by default");
    JsonObject big = body.getJsonArray("items").getJsonObject(150);
    assertEquals("dest-big", big.getString("destinationId"));
    assertEquals(1500, big.getJsonArray("records").size());
    assertEquals("188250", big.getString("total"));
    assertEquals("125.5", big.getJsonArray("records").getJsonObject(0).getString("value"));
    assertEquals(
        "188250", big.getJsonArray("records").getJsonObject(1499).getString("runningTotal"));
    JsonObject small = body.getJsonArray("items").getJsonObject(0);
    assertEquals("7.75", small.getString("total"));
    assertEquals("2.25", small.getJsonArray("records").getJsonObject(1).getString("value"));
    assertEquals("7.75", small.getJsonArray("records").getJsonObject(1).getString("runningTotal"));

    ServiceUnderTest capped =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.RECORDS_MAX_PER_DESTINATION, 1000));
    try {
      JsonObject page = capped.get("/records/aggregations?size=200").bodyAsJsonObject();
      JsonObject cappedBig = page.getJsonArray("items").getJsonObject(150);
      assertEquals(1000, page.getInteger("maxRecordsPerDestination"));
      assertEquals(1000, cappedBig.getJsonArray("records").size());
      assertEquals(
          1500, cappedBig.getLong("recordCount"), "the count still says how many there are");
    } finally {
      capped.close();
    }
  }

  private static void collect(JsonObject page, Map<String, BigDecimal> into) {
    page.getJsonArray("items")
        .forEach(
            o -> {
              JsonObject d = (JsonObject) o;
              into.put(
                  d.getString("destinationId"), new BigDecimal(d.getValue("total").toString()));
            });
  }
}
