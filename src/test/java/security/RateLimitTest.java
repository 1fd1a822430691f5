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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Await;
import support.QuoteSockets;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;

/**
 * A burst past the per-client bucket gets 429 with Retry-After and a JSON body, with the buckets in
 * the JVM and with them in Redis (how a cluster shares them); requests within the burst pass.
 * Whichever store answers, and however late, a write's body and a WebSocket upgrade still reach
 * their handlers behind the limiter.
 */
@Tag("integration")
class RateLimitTest {
  private static final int BURST = 10;

  @ParameterizedTest
  @ValueSource(strings = {"local", "redis"})
  void aBurstPastTheBucketIs429WithRetryAfter(String store) {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.RATE_LIMIT_STORE, store)
                .put(ConfigKeys.RATE_LIMIT_PER_SECOND, 1)
                .put(ConfigKeys.RATE_LIMIT_BURST, BURST));
    try {
      if (store.equals("redis")) {
        Await.result(redisFlush(service));
      }
      List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
      for (int i = 0; i < 3 * BURST; i++) {
        burst.add(service.http.get("/health/live").send());
      }
      Await.result(Future.all(burst));
      List<HttpResponse<Buffer>> limited =
          burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
      long passed = burst.stream().map(Future::result).filter(r -> r.statusCode() == 200).count();
      assertTrue(
          passed >= BURST - 1 && passed <= BURST + 2,
          store + ": about one burst passes, " + passed + " did");
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
    ServiceUnderTest service =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api,push,trades,audit")
                .put(ConfigKeys.RATE_LIMIT_STORE, store));
    try {
      assertAll(
          () -> {
            String id = "RL-" + UUID.randomUUID();
            HttpResponse<Buffer> created =
                service.postJson(
                    "/api/v1/trades", Trades.json(id, 1, "B1", TestClock.today().plusYears(1)));
            assertEquals(201, created.statusCode(), created::bodyAsString);
            assertEquals(
                1L,
                service
                    .sql("SELECT count(*) FROM trades WHERE trade_id = $1", id)
                    .iterator()
                    .next()
                    .getLong(0));
          },
          () ->
              assertEquals(
                  "snapshot",
                  QuoteSockets.firstFrameAfterSubscribing(service.vertx, service.port(), "RLWS")
                      .getString("type"),
                  "the relayed hub answers"));
    } finally {
      service.close();
    }
  }

  /**
   * Clients behind one address (a proxy, a NAT) are told apart by their tokens: one client's burst
   * does not limit another's, and requests without a token keep a bucket of their address. Fails
   * when the limit is keyed on the peer address alone.
   */
  @org.junit.jupiter.api.Test
  void eachTokenSubjectHasItsOwnBucket() {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.RATE_LIMIT_STORE, "local")
                .put(ConfigKeys.RATE_LIMIT_PER_SECOND, 1)
                .put(ConfigKeys.RATE_LIMIT_BURST, BURST));
    try {
      String alice = service.token("rl-alice", "");
      String bob = service.token("rl-bob", "");
      assertTrue(
          statuses(service, 3 * BURST, "/api/v1/trades?size=1", alice, null).contains(429),
          "alice is limited");
      assertEquals(
          List.of(200),
          statuses(service, BURST - 2, "/api/v1/trades?size=1", bob, null).stream()
              .distinct()
              .toList(),
          "bob, from the same address, is not");
      assertEquals(
          List.of(200),
          statuses(service, BURST - 2, "/health/live", null, null).stream().distinct().toList(),
          "nor is a client without a token");
    } finally {
      service.close();
    }
  }

  /**
   * X-Forwarded-For names the client only when the peer is a trusted proxy: then two clients behind
   * it have two buckets; from anyone else the header is ignored, so a client cannot get a fresh
   * bucket by naming itself anew.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void forwardedForCountsOnlyFromATrustedProxy(boolean trusted) {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.RATE_LIMIT_STORE, "local")
                .put(ConfigKeys.RATE_LIMIT_PER_SECOND, 1)
                .put(ConfigKeys.RATE_LIMIT_BURST, BURST)
                .put(ConfigKeys.TRUSTED_PROXIES, trusted ? "127.0.0.0/8" : ""));
    try {
      assertTrue(
          statuses(service, 3 * BURST, "/health/live", null, "198.51.100.1").contains(429),
          "the first is limited");
      List<Integer> second =
          statuses(service, BURST - 2, "/health/live", null, "1.2.3.4, 198.51.100.2");
      if (trusted) {
        assertEquals(
            List.of(200),
            second.stream().distinct().toList(),
            "another client behind the proxy is not");
      } else {
        assertTrue(
            second.contains(429), "a header from an untrusted peer changes nothing: " + second);
      }
    } finally {
      service.close();
    }
  }

  /**
   * The operations marked x-rate-limit: expensive take from a smaller bucket, and leave the default
   * one alone.
   */
  @org.junit.jupiter.api.Test
  void expensiveReadsHaveTheirOwnSmallerBucket() {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.RATE_LIMIT_STORE, "local")
                .put(ConfigKeys.RATE_LIMIT_EXPENSIVE_PER_SECOND, 1)
                .put(ConfigKeys.RATE_LIMIT_EXPENSIVE_BURST, 3));
    try {
      String token = service.token("rl-expensive", "");
      List<Integer> aggregations =
          statuses(service, 10, "/records/aggregations?size=1", token, null);
      assertTrue(
          aggregations.stream().filter(status -> status == 200).count() <= 4,
          aggregations::toString);
      assertTrue(aggregations.contains(429), aggregations::toString);
      assertTrue(
          statuses(service, 3, "/api/v1/blockchain/blocks/verify", token, null).contains(429),
          "verify shares the expensive bucket");
      assertEquals(
          List.of(200),
          statuses(service, 10, "/api/v1/trades?size=1", token, null).stream().distinct().toList(),
          "the default bucket is untouched");
    } finally {
      service.close();
    }
  }

  /**
   * With the buckets in Redis and Redis unreachable, RATE_LIMIT_WHEN_STORE_DOWN decides: local
   * limits in the JVM, open lets everything through, closed refuses with 503; each decision is
   * counted on the management port.
   */
  @ParameterizedTest
  @ValueSource(strings = {"local", "open", "closed"})
  void whenRedisIsDownTheSettingDecides(String mode) {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            TestInfra.vertxWithMetrics(),
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.RATE_LIMIT_STORE, "redis")
                .put(
                    ConfigKeys.REDIS_CONNECTION_STRING,
                    "redis://127.0.0.1:" + ServiceUnderTest.unusedPort())
                .put(ConfigKeys.RATE_LIMIT_WHEN_STORE_DOWN, mode)
                .put(ConfigKeys.RATE_LIMIT_PER_SECOND, 1)
                .put(ConfigKeys.RATE_LIMIT_BURST, BURST));
    try {
      List<Integer> statuses = statuses(service, 3 * BURST, "/health/live", null, null);
      switch (mode) {
        case "local" ->
            assertTrue(statuses.contains(200) && statuses.contains(429), statuses::toString);
        case "open" -> assertEquals(List.of(200), statuses.stream().distinct().toList());
        default -> assertEquals(List.of(503), statuses.stream().distinct().toList());
      }
      String counted =
          service
              .scrape()
              .lines()
              .filter(
                  line ->
                      line.startsWith("rate_limit_store_failures_total{")
                          && line.contains("mode=\"" + mode + "\""))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no counter"));
      assertTrue(
          Double.parseDouble(counted.substring(counted.lastIndexOf(' ') + 1)) >= 3 * BURST,
          counted);
    } finally {
      service.close();
    }
  }

  /**
   * The statuses of {@code count} GETs sent at once, with a token and an X-Forwarded-For when
   * given.
   */
  private static List<Integer> statuses(
      ServiceUnderTest service, int count, String path, String token, String forwardedFor) {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var request = service.anonymous.get(path);
      if (token != null) {
        request.putHeader("Authorization", token);
      }
      if (forwardedFor != null) {
        request.putHeader("X-Forwarded-For", forwardedFor);
      }
      sent.add(request.send());
    }
    Await.result(Future.all(sent));
    return sent.stream().map(response -> response.result().statusCode()).toList();
  }

  /** The redis store keeps buckets across test runs on the same server: start from an empty one. */
  private static Future<?> redisFlush(ServiceUnderTest service) {
    io.vertx.redis.client.Redis redis =
        io.vertx.redis.client.Redis.createClient(
            service.vertx, service.config.getString(ConfigKeys.REDIS_CONNECTION_STRING));
    return io.vertx.redis.client.RedisAPI.api(redis)
        .del(List.of("ratelimit:127.0.0.1"))
        .eventually(redis::close);
  }
}
