package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import store.PgPools;
import support.Await;
import support.ServiceProcess;
import support.TestInfra;

/**
 * The service started with a seed's environment file, our own connection names removed: seed 003's
 * DATABASE_URL (with a SQLAlchemy driver suffix), REDIS_URL and KAFKA_PORTFOLIO_TOPIC, and seed
 * 002's DEFAULT_ALERT_THRESHOLD, each observed in what the running service does; where ours is set
 * too (PORTFOLIO_HISTORY_CACHE_TTL_SECONDS beside HISTORY_CACHE_TTL_SECONDS), ours wins.
 */
@Tag("integration")
class SeedEnvironmentTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aSeedEnvironmentFileWorksUnchanged() {
    JsonObject infra = TestInfra.config();
    Map<String, String> env = new HashMap<>();
    env.put(ConfigKeys.PG_URI, null);
    env.put(ConfigKeys.REDIS_CONNECTION_STRING, null);
    env.put(
        "DATABASE_URL",
        infra
            .getString(ConfigKeys.PG_URI)
            .replaceFirst("^postgres(ql)?://", "postgresql+asyncpg://"));
    env.put("REDIS_URL", infra.getString(ConfigKeys.REDIS_CONNECTION_STRING));
    env.put("KAFKA_PORTFOLIO_TOPIC", "seed-env.portfolio.events");
    env.put("HISTORY_CACHE_TTL_SECONDS", "77");
    env.put(ConfigKeys.PORTFOLIO_HISTORY_CACHE_TTL_SECONDS, "50"); // both set: ours win
    env.put(
        "POSTGRES_HOST", "unreachable.invalid"); // seed 004's parts: DATABASE_URL wins over them
    env.put("DEFAULT_ALERT_THRESHOLD", "5");
    env.put(ConfigKeys.ROLES, "api,portfolio,records");
    Vertx vertx = Vertx.vertx();
    Pool pg = PgPools.create(vertx, infra);
    RedisAPI redis =
        RedisAPI.api(
            Redis.createClient(vertx, infra.getString(ConfigKeys.REDIS_CONNECTION_STRING)));
    WebClient client = TestInfra.operatorClient(vertx);
    try (ServiceProcess service = ServiceProcess.start("seed-env", env)) {
      int http = service.httpPort();
      HttpResponse<Buffer> health = Await.result(client.get(http, "127.0.0.1", "/health").send());
      assertEquals(200, health.statusCode(), health::bodyAsString);
      assertEquals("up", health.bodyAsJsonObject().getJsonObject("services").getString("postgres"));
      assertEquals("up", health.bodyAsJsonObject().getJsonObject("services").getString("redis"));

      String id = "seed-env-" + UUID.randomUUID();
      HttpResponse<Buffer> seeded =
          Await.result(
              client
                  .post(http, "127.0.0.1", "/api/v1/seed")
                  .sendJsonObject(new JsonObject().put("portfolio_id", id)));
      assertEquals(200, seeded.statusCode(), seeded::bodyAsString);
      String topic =
          Await.result(
                  pg.preparedQuery("SELECT topic FROM outbox WHERE message_key = $1")
                      .execute(Tuple.of(id)))
              .iterator()
              .next()
              .getString(0);
      assertEquals(
          "seed-env.portfolio.events",
          topic,
          "KAFKA_PORTFOLIO_TOPIC names the portfolio events topic");

      assertEquals(
          200,
          Await.result(
                  client
                      .get(http, "127.0.0.1", "/api/v1/portfolio/history?days=3&portfolio_id=" + id)
                      .send())
              .statusCode());
      String key = "portfolio:history:" + id + ":3d";
      Await.until(
          "history cached",
          WAIT,
          () -> Await.result(redis.exists(java.util.List.of(key))).toLong() == 1);
      long ttl = Await.result(redis.ttl(key)).toLong();
      assertTrue(
          ttl > 0 && ttl <= 50,
          () -> "our PORTFOLIO_HISTORY_CACHE_TTL_SECONDS wins over the seed's name: " + ttl);

      String destination = "seed-env-dest-" + UUID.randomUUID();
      JsonObject record =
          new JsonObject()
              .put("time", "2024-03-01T12:00:00Z")
              .put("sourceId", "s")
              .put("destinationId", destination)
              .put("type", "positive")
              .put("unit", "SEK")
              .put("reference", "r");
      for (String value : new String[] {"5", "6"}) {
        HttpResponse<Buffer> accepted =
            Await.result(
                client
                    .post(http, "127.0.0.1", "/records")
                    .sendJsonObject(
                        record
                            .copy()
                            .put("recordId", destination + "-" + value)
                            .put("value", value)));
        assertEquals(202, accepted.statusCode(), accepted::bodyAsString);
      }
      Await.until(
          "both records stored",
          WAIT,
          () ->
              count(pg, "SELECT count(*) FROM records WHERE destination_id = $1", destination)
                  == 2);
      assertEquals(
          1L,
          count(
              pg,
              "SELECT count(*) FROM outbox WHERE topic = 'alerts' AND message_key = $1",
              destination),
          "DEFAULT_ALERT_THRESHOLD=5: the value 6 alerts, the value 5 does not");
    } finally {
      Await.result(vertx.close());
    }
  }

  private static long count(Pool pg, String sql, String key) {
    return Await.result(pg.preparedQuery(sql).execute(Tuple.of(key))).iterator().next().getLong(0);
  }
}
