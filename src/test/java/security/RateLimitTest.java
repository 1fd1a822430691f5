package security;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Await;
import support.QuoteSockets;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * A burst past the per-client bucket gets 429 with Retry-After and a JSON body, with the buckets in the JVM and
 * with them in Redis (how a cluster shares them); requests within the burst pass. Whichever store answers, and
 * however late, a write's body and a WebSocket upgrade still reach their handlers behind the limiter.
 */
class RateLimitTest {
  private static final int BURST = 10;

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void aBurstPastTheBucketIs429WithRetryAfter(String store) {
    ServiceUnderTest service = ServiceUnderTest.start(new JsonObject().put(ConfigKeys.ROLES, "api")
        .put(ConfigKeys.RATE_LIMIT_STORE, store)
        .put(ConfigKeys.RATE_LIMIT_PER_SECOND, 1).put(ConfigKeys.RATE_LIMIT_BURST, BURST));
    try {
      if (store.equals("redis")) {
        Await.result(redisFlush(service));
      }
      List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
      for (int i = 0; i < 3 * BURST; i++) {
        burst.add(service.http.get("/health/live").send());
      }
      Await.result(Future.all(burst));
      List<HttpResponse<Buffer>> limited = burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
      long passed = burst.stream().map(Future::result).filter(r -> r.statusCode() == 200).count();
      assertTrue(passed >= BURST - 1 && passed <= BURST + 2, store + ": about one burst passes, " + passed + " did");
      assertEquals(3 * BURST - passed, limited.size(), "the rest are limited");
      HttpResponse<Buffer> refused = limited.get(0);
      assertTrue(Long.parseLong(refused.getHeader("Retry-After")) >= 1, "Retry-After in seconds");
      assertEquals("RATE_LIMITED", refused.bodyAsJsonObject().getString("error"));
    } finally {
      service.close();
    }
  }

  /** Both are asserted, so that a limiter which loses the request shows in each. */
  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void aWriteBodyAndAWebSocketUpgradePassTheLimiterWhole(String store) {
    ServiceUnderTest service = ServiceUnderTest.start(new JsonObject().put(ConfigKeys.ROLES, "api,push,trades,audit")
        .put(ConfigKeys.RATE_LIMIT_STORE, store));
    try {
      assertAll(() -> {
        String id = "RL-" + UUID.randomUUID();
        HttpResponse<Buffer> created = service.postJson("/api/v1/trades", Trades.json(id, 1, "B1",
            TestClock.today().plusYears(1)));
        assertEquals(201, created.statusCode(), created::bodyAsString);
        assertEquals(1L, service.sql("SELECT count(*) FROM trades WHERE trade_id = $1", id).iterator().next().getLong(0));
      }, () -> assertEquals("snapshot", QuoteSockets.firstFrameAfterSubscribing(service.vertx, service.port(), "RLWS")
          .getString("type"), "the relayed hub answers"));
    } finally {
      service.close();
    }
  }

  /** The redis store keeps buckets across test runs on the same server: start from an empty one. */
  private static Future<?> redisFlush(ServiceUnderTest service) {
    io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(service.vertx,
        service.config.getString(ConfigKeys.REDIS_CONNECTION_STRING));
    return io.vertx.redis.client.RedisAPI.api(redis).del(List.of("ratelimit:127.0.0.1")).eventually(redis::close);
  }
}
