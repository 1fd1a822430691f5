package security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;

/**
 * Tokens that cannot be forged or kept forever, through the running service: {@code alg: none}, no
 * {@code exp}, an {@code exp} further ahead than AUTH_MAX_TOKEN_MINUTES, an expired one, a future
 * {@code nbf} and a foreign issuer or audience are all 401; and where the service checks an
 * identity provider's public key (RS256), a token signed HS256 with that public key's PEM as the
 * secret is refused too, while the provider's own is accepted.
 */
@Tag("integration")
class TokenHardeningTest {
  private static final String PATH = "/api/v1/statistics";

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "api")
              .put(ConfigKeys.AUTH_JWT_ISSUER, "desk-idp")
              .put(ConfigKeys.AUTH_JWT_AUDIENCE, "trade-platform")
              .put(ConfigKeys.AUTH_MAX_TOKEN_MINUTES, 60));

  private static String secret;

  @BeforeAll
  static void start() {
    secret = service.config.getString(ConfigKeys.AUTH_JWT_SECRET);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** The claims of a token the service would accept, for a test to spoil one of. */
  private static JsonObject claims() {
    return new JsonObject()
        .put("sub", "hardening")
        .put("scope", "")
        .put("iss", "desk-idp")
        .put("aud", "trade-platform")
        .put("iat", now())
        .put("exp", now() + 600);
  }

  private static int status(String token) {
    return Await.result(
            service.anonymous.get(PATH).putHeader("Authorization", "Bearer " + token).send())
        .statusCode();
  }

  @Test
  void aWellFormedTokenPasses() {
    assertEquals(200, status(hs256(claims(), secret)));
  }

  @Test
  void algNoneIsRefused() {
    assertEquals(
        401,
        status(
            base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64(claims().encode()) + "."));
  }

  @Test
  void aTokenWithoutExpOrExpiringTooFarAheadIsRefused() {
    JsonObject forever = claims();
    forever.remove("exp");
    assertEquals(401, status(hs256(forever, secret)), "no exp");
    assertEquals(
        401,
        status(hs256(claims().put("exp", now() + 61 * 60 + 60), secret)),
        "exp past the maximum");
    assertEquals(200, status(hs256(claims().put("exp", now() + 59 * 60), secret)), "exp within it");
  }

  @Test
  void expiredNotYetValidAndForeignTokensAreRefused() {
    assertEquals(401, status(hs256(claims().put("exp", now() - 120), secret)), "expired");
    assertEquals(401, status(hs256(claims().put("nbf", now() + 300), secret)), "nbf in the future");
    assertEquals(401, status(hs256(claims().put("iss", "someone-else"), secret)), "foreign issuer");
    assertEquals(
        401, status(hs256(claims().put("aud", "another-service"), secret)), "foreign audience");
  }

  /** The algorithm follows the key: a public key never serves as an HMAC secret. */
  @Test
  void withAPublicKeyAnHs256TokenKeyedWithItsPemIsRefused() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    ServiceUnderTest provider =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.AUTH_JWT_SECRET, "")
                .put(ConfigKeys.AUTH_JWT_PUBLIC_KEY, publicPem)
                .put(ConfigKeys.AUTH_JWT_ALGORITHM, "RS256"));
    try {
      JWTAuth identityProvider =
          JWTAuth.create(
              provider.vertx,
              new JWTAuthOptions()
                  .addPubSecKey(
                      new PubSecKeyOptions()
                          .setAlgorithm("RS256")
                          .setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
      String genuine =
          identityProvider.generateToken(
              new JsonObject().put("sub", "idp-user").put("scope", ""),
              new JWTOptions().setAlgorithm("RS256").setExpiresInMinutes(5));
      JsonObject claims =
          new JsonObject().put("sub", "mallory").put("scope", "admin").put("exp", now() + 300);
      for (String forged : List.of(hs256(claims, publicPem), hs256(claims, publicPem.strip()))) {
        assertEquals(
            401,
            Await.result(
                    provider
                        .anonymous
                        .get(PATH)
                        .putHeader("Authorization", "Bearer " + forged)
                        .send())
                .statusCode(),
            "HS256 keyed with the public key");
      }
      assertEquals(
          200,
          Await.result(
                  provider
                      .anonymous
                      .get(PATH)
                      .putHeader("Authorization", "Bearer " + genuine)
                      .send())
              .statusCode(),
          "the provider's own token");
    } finally {
      provider.close();
    }
  }

  private static String hs256(JsonObject claims, String key) {
    String signed = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64(claims.encode());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signed
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
