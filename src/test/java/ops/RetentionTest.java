package ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import audit.Audit;
import contract.ConfigKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import mongo.MongoClients;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import verticles.AuditWriterVerticle;
import verticles.RetentionVerticle;

/** Old ticks, bars, processed_events and audit documents are purged; recent ones stay. */
@Tag("integration")
class RetentionTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "trades"));

  private static long count(String sql, Object... args) {
    return service.sql(sql, args).iterator().next().getLong(0);
  }

  @Test
  void onlyRowsOlderThanTheirRetentionAreDeleted() {
    String tag = "RET" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    for (int hoursAgo : new int[] {200, 1}) {
      service.sql(
          "INSERT INTO prices_raw (symbol, price, timestamp_ms, source_topic, source_partition,"
              + " source_offset, received_at) VALUES ($1, 1, 0, 'retention-test', 0,"
              + " nextval('prices_raw_id_seq'), now() - make_interval(hours => $2))",
          tag,
          hoursAgo);
      service.sql(
          "INSERT INTO quote_tick (symbol, ts, price) VALUES ($1, now() - make_interval(hours =>"
              + " $2), 1)",
          tag,
          hoursAgo);
    }
    for (String table : new String[] {"quote_ohlc_1min", "quote_ohlc_5min"}) {
      for (int daysAgo : new int[] {400, 2}) {
        service.sql(
            "INSERT INTO "
                + table
                + " (symbol, bucket, open, high, low, close, volume, ticks, open_ts, close_ts)"
                + " SELECT $1, t, 1, 1, 1, 1, 0, 1, t, t FROM (SELECT now() - make_interval(days =>"
                + " $2) AS t) b",
            tag,
            daysAgo);
      }
    }
    service.sql(
        "INSERT INTO processed_events (event_id, service_name, processed_at) VALUES ($1, 'test',"
            + " now() - interval '40 days')",
        tag + "-old");
    service.sql(
        "INSERT INTO processed_events (event_id, service_name) VALUES ($1, 'test')", tag + "-new");

    String retention =
        Await.result(
            service.vertx.deployVerticle(
                new RetentionVerticle(),
                new DeploymentOptions()
                    .setConfig(service.config.copy().put(ConfigKeys.RETENTION_CHECK_MS, 100))));
    try {
      Await.until(
          "old rows purged",
          Duration.ofSeconds(20),
          () ->
              count("SELECT count(*) FROM prices_raw WHERE symbol = $1", tag) == 1
                  && count("SELECT count(*) FROM quote_tick WHERE symbol = $1", tag) == 1
                  && count(
                          "SELECT count(*) FROM processed_events WHERE event_id LIKE $1", tag + "%")
                      == 1
                  && count("SELECT count(*) FROM quote_ohlc_1min WHERE symbol = $1", tag) == 1
                  && count("SELECT count(*) FROM quote_ohlc_5min WHERE symbol = $1", tag) == 1);
      assertEquals(
          1,
          count(
              "SELECT count(*) FROM quote_ohlc_1min WHERE symbol = $1 AND bucket > now() - interval"
                  + " '3 days'",
              tag),
          "bars within BARS_RETENTION_DAYS (365) stay");
      assertEquals(
          1, count("SELECT count(*) FROM processed_events WHERE event_id = $1", tag + "-new"));
      assertEquals(
          1,
          count(
              "SELECT count(*) FROM quote_tick WHERE symbol = $1 AND ts > now() - interval '2"
                  + " hours'",
              tag));
    } finally {
      Await.result(service.vertx.undeploy(retention));
    }
  }

  @Test
  void auditDocumentsOlderThanTheRetentionAreDeletedAndTheIndexesExist() {
    String tag = "RET" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    MongoClient mongo = MongoClients.create(service.vertx, service.config);
    String writer =
        Await.result(
            service.vertx.deployVerticle(
                new AuditWriterVerticle(),
                new DeploymentOptions()
                    .setConfig(
                        service
                            .config
                            .copy()
                            .put(ConfigKeys.AUDIT_RETENTION_DAYS, 30)
                            .put(ConfigKeys.AUDIT_RETENTION_CHECK_MS, 100))));
    try {
      for (int daysAgo : new int[] {40, 1}) {
        JsonObject entry =
            Audit.tradeEntry(
                    tag + "-" + daysAgo,
                    Audit.Action.CREATE,
                    true,
                    new JsonObject(),
                    "corr",
                    "rest")
                .put("timestamp", Audit.date(Instant.now().minus(Duration.ofDays(daysAgo))));
        Audit.trades(service.vertx, List.of(entry));
      }
      Await.until(
          "the 40-day-old audit entry purged, the recent one kept",
          Duration.ofSeconds(20),
          () ->
              Await.result(
                      mongo.find(
                          Audit.AUDIT_LOGS,
                          new JsonObject()
                              .put("trade_id", new JsonObject().put("$regex", "^" + tag))))
                  .stream()
                  .map(d -> d.getString("trade_id"))
                  .toList()
                  .equals(List.of(tag + "-1")));
      List<String> indexed =
          Await.result(mongo.listIndexes(Audit.AUDIT_LOGS)).stream()
              .map(
                  index -> ((JsonObject) index).getJsonObject("key").fieldNames().iterator().next())
              .toList();
      assertTrue(
          indexed.containsAll(List.of("trade_id", "timestamp")),
          () -> "audit_logs indexes: " + indexed);
    } finally {
      Await.result(service.vertx.undeploy(writer));
      Await.result(mongo.close());
    }
  }
}
