package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;
import support.TestInfra;

/**
 * Outside dev mode the service fails closed: startup stops, with one line naming the setting, on a
 * blank connection key (no development server is started in its place), no token key, both keys, an
 * HMAC secret shorter than 32 bytes or a placeholder from the deploy files, and an HMAC algorithm
 * with a public key.
 */
@Tag("integration")
class StartupRefusalsTest {
  /**
   * The one line startup stops with, for the test servers' settings with these changed; a Vert.x of
   * its own.
   */
  private static String refusal(Object... changes) {
    JsonObject config =
        TestInfra.serviceSettings()
            .put(ConfigKeys.HTTP_PORT, 0)
            .put(ConfigKeys.PUSH_HTTP_PORT, 0)
            .put(ConfigKeys.MANAGEMENT_PORT, 0);
    for (int i = 0; i < changes.length; i += 2) {
      config.put((String) changes[i], changes[i + 1]);
    }
    Vertx vertx = Vertx.vertx();
    Throwable failure;
    try {
      failure =
          Await.result(
              Bootstrap.start(vertx, config)
                  .transform(
                      started ->
                          started.succeeded()
                              ? io.vertx.core.Future.failedFuture(
                                  new AssertionError("started with " + List.of(changes)))
                              : io.vertx.core.Future.succeededFuture(started.cause())),
              Duration.ofSeconds(60));
    } finally {
      Await.result(vertx.close());
    }
    assertTrue(
        failure instanceof IllegalArgumentException, () -> "refused as a setting: " + failure);
    assertEquals(1, failure.getMessage().lines().count(), failure.getMessage());
    return failure.getMessage();
  }

  @Test
  void aBlankConnectionKeyStartsNoDevelopmentServer() {
    String refused =
        refusal(ConfigKeys.MONGO_CONNECTION_STRING, "", ConfigKeys.REDIS_CONNECTION_STRING, " ");
    assertTrue(
        refused.startsWith("MONGO_CONNECTION_STRING, REDIS_CONNECTION_STRING are not set"),
        refused);
    assertTrue(refused.contains("DEV_MODE=true"), refused);
  }

  @Test
  void noKeyOrBothKeysAreRefused() {
    assertTrue(
        refusal(ConfigKeys.AUTH_JWT_SECRET, "")
            .contains("neither AUTH_JWT_SECRET nor AUTH_JWT_PUBLIC_KEY"));
    assertTrue(
        refusal(ConfigKeys.AUTH_JWT_PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----").contains("not both"));
  }

  @Test
  void aShortSecretOrAPlaceholderIsRefused() {
    String refused = refusal(ConfigKeys.AUTH_JWT_SECRET, "x".repeat(31));
    assertTrue(refused.contains("shorter than 32 bytes"), refused);
    assertTrue(
        refusal(ConfigKeys.AUTH_JWT_SECRET, "CHANGE-ME-to-32-or-more-random-bytes")
            .contains("placeholder"));
    assertTrue(
        refusal(ConfigKeys.AUTH_JWT_SECRET, "compose-local-only-secret-change-me-0123456789")
            .contains("placeholder"));
  }

  @Test
  void anHmacAlgorithmWithAPublicKeyIsRefused() {
    String refused =
        refusal(
            ConfigKeys.AUTH_JWT_SECRET,
            "",
            ConfigKeys.AUTH_JWT_PUBLIC_KEY,
            "-----BEGIN PUBLIC KEY-----\n"
                + "MCowBQYDK2VwAyEAZUr5wJ0WufNcUHZqJS+ikjRlALtfHNF7222m6h5OG0Y=\n"
                + "-----END PUBLIC KEY-----");
    assertTrue(
        refused.startsWith("AUTH_JWT_ALGORITHM is HS256, which takes AUTH_JWT_SECRET"), refused);
  }
}
