package security;

import contract.ConfigKeys;
import contract.Scopes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The JWT settings: an HMAC secret (AUTH_JWT_SECRET, HS256) or an issuer's public key in PEM
 * (AUTH_JWT_PUBLIC_KEY, RS256 or ES256), and optionally the issuer and audience every token must name.
 */
public final class Tokens {
  /** Every scope the service checks, customer and staff ones, as the dev token carries them. */
  public static final String ALL_SCOPES = String.join(" ", Scopes.TRADES_WRITE, Scopes.RECORDS_WRITE,
      Scopes.LEDGER_WRITE, Scopes.FINPULSE_WRITE, Scopes.OPS_READ, Scopes.OPS_WRITE, Scopes.PII_READ, Scopes.ADMIN);

  private Tokens() {}

  /** Stops startup, naming the keys, when auth is on and no key to check tokens with is configured. */
  public static void requireKey(JsonObject config) {
    if (config.getBoolean(ConfigKeys.AUTH_ENABLED) && !hasKey(config)) {
      throw new IllegalArgumentException("AUTH_ENABLED is true but neither " + ConfigKeys.AUTH_JWT_SECRET + " nor "
          + ConfigKeys.AUTH_JWT_PUBLIC_KEY + " is set: set one, or set AUTH_ENABLED=false");
    }
  }

  public static boolean hasKey(JsonObject config) {
    return !config.getString(ConfigKeys.AUTH_JWT_SECRET).isBlank()
        || !config.getString(ConfigKeys.AUTH_JWT_PUBLIC_KEY).isBlank();
  }

  /**
   * The subprotocol a browser offers to carry its token on a WebSocket upgrade, where it cannot set headers:
   * {@code new WebSocket(url, ["bearer", token])}; the servers accept it (and only it) as their subprotocol.
   */
  public static final String WEBSOCKET_BEARER = "bearer";

  /**
   * The {@code Authorization} value of a request: its header, else the token a browser sent as the subprotocol after
   * {@value #WEBSOCKET_BEARER} ({@code Sec-WebSocket-Protocol: bearer, <JWT>}); null when there is neither.
   */
  public static String authorization(String header, String webSocketProtocols) {
    if (header != null || webSocketProtocols == null) {
      return header;
    }
    String[] offered = webSocketProtocols.split(",");
    for (int i = 0; i + 1 < offered.length; i++) {
      if (offered[i].strip().equals(WEBSOCKET_BEARER)) {
        return "Bearer " + offered[i + 1].strip();
      }
    }
    return null;
  }

  /** A random HS256 secret, for dev mode only: tokens signed with it die with the process. */
  public static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static JWTAuth verifier(Vertx vertx, JsonObject config) {
    String secret = config.getString(ConfigKeys.AUTH_JWT_SECRET);
    String algorithm = config.getString(ConfigKeys.AUTH_JWT_ALGORITHM);
    PubSecKeyOptions key = secret.isBlank()
        ? new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(config.getString(ConfigKeys.AUTH_JWT_PUBLIC_KEY))
        : new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret);
    JWTOptions checks = new JWTOptions();
    String issuer = config.getString(ConfigKeys.AUTH_JWT_ISSUER);
    String audience = config.getString(ConfigKeys.AUTH_JWT_AUDIENCE);
    if (!issuer.isBlank()) {
      checks.setIssuer(issuer);
    }
    if (!audience.isBlank()) {
      checks.setAudience(List.of(audience));
    }
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key).setJWTOptions(checks));
  }

  /** A token signed with AUTH_JWT_SECRET: for dev mode's startup message and for tests. */
  public static String sign(Vertx vertx, JsonObject config, String subject, String scopes, int minutes) {
    return sign(vertx, config, new JsonObject().put("sub", subject).put("scope", scopes), minutes);
  }

  /** A token of these claims ({@code sub}, {@code scope}, {@code customer_id}…) signed with AUTH_JWT_SECRET. */
  public static String sign(Vertx vertx, JsonObject config, JsonObject claims, int minutes) {
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setExpiresInMinutes(minutes);
    String issuer = config.getString(ConfigKeys.AUTH_JWT_ISSUER);
    String audience = config.getString(ConfigKeys.AUTH_JWT_AUDIENCE);
    if (!issuer.isBlank()) {
      options.setIssuer(issuer);
    }
    if (!audience.isBlank()) {
      options.setAudience(List.of(audience));
    }
    return verifier(vertx, config).generateToken(claims, options);
  }
}
