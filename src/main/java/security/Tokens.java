package security;

import contract.ConfigKeys;
import contract.Scopes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The JWT settings: an HMAC secret (AUTH_JWT_SECRET, HS256/384/512) or an issuer's public key in
 * PEM (AUTH_JWT_PUBLIC_KEY, RS*, ES* or EdDSA), never the one with the other's algorithm, and
 * optionally the issuer and audience every token must name. Every token must carry {@code exp}, no
 * more than AUTH_MAX_TOKEN_MINUTES ahead; {@code exp}, {@code nbf} and {@code iat} are checked with
 * {@value #LEEWAY_SECONDS} s of clock skew.
 */
public final class Tokens {
  /** Every scope the service checks, customer and staff ones, as the dev token carries them. */
  public static final String ALL_SCOPES =
      String.join(
          " ",
          Scopes.TRADES_WRITE,
          Scopes.RECORDS_WRITE,
          Scopes.LEDGER_WRITE,
          Scopes.FINPULSE_WRITE,
          Scopes.OPS_READ,
          Scopes.OPS_WRITE,
          Scopes.PII_READ,
          Scopes.ADMIN);

  private Tokens() {}

  /** Clock skew allowed on {@code exp}, {@code nbf} and {@code iat}. */
  public static final int LEEWAY_SECONDS = 30;

  /** An HMAC secret shorter than the hash it keys is guessable: 32 bytes for HS256. */
  public static final int MIN_SECRET_BYTES = 32;

  private static final List<String> HMAC = List.of("HS256", "HS384", "HS512");

  /**
   * Stops startup with one line naming the setting, when auth is on and the keys would let tokens
   * be forged: no key, both, an algorithm that is not the key's (an HMAC algorithm with a public
   * key would take the public key as the secret), an HMAC secret under {@value #MIN_SECRET_BYTES}
   * bytes, or outside dev mode a placeholder.
   */
  public static void requireKey(JsonObject config) {
    if (!config.getBoolean(ConfigKeys.AUTH_ENABLED)) {
      return;
    }
    String secret = config.getString(ConfigKeys.AUTH_JWT_SECRET);
    String publicKey = config.getString(ConfigKeys.AUTH_JWT_PUBLIC_KEY);
    String algorithm = config.getString(ConfigKeys.AUTH_JWT_ALGORITHM);
    if (secret.isBlank() == publicKey.isBlank()) {
      throw new IllegalArgumentException(
          secret.isBlank()
              ? "AUTH_ENABLED is true but neither "
                  + ConfigKeys.AUTH_JWT_SECRET
                  + " nor "
                  + ConfigKeys.AUTH_JWT_PUBLIC_KEY
                  + " is set: set one, or set "
                  + "AUTH_ENABLED=false"
              : "set "
                  + ConfigKeys.AUTH_JWT_SECRET
                  + " or "
                  + ConfigKeys.AUTH_JWT_PUBLIC_KEY
                  + ", not both");
    }
    if (!secret.isBlank()) {
      requireHmacSecret(secret, algorithm, config.getBoolean(ConfigKeys.DEV_MODE));
    } else if (HMAC.contains(algorithm)) {
      throw new IllegalArgumentException(
          ConfigKeys.AUTH_JWT_ALGORITHM
              + " is "
              + algorithm
              + ", which takes "
              + ConfigKeys.AUTH_JWT_SECRET
              + ": with "
              + ConfigKeys.AUTH_JWT_PUBLIC_KEY
              + ", set it to the key's "
              + "algorithm (RS256, ES256, EdDSA…)");
    }
  }

  private static void requireHmacSecret(String secret, String algorithm, boolean devMode) {
    if (!HMAC.contains(algorithm)) {
      throw new IllegalArgumentException(
          ConfigKeys.AUTH_JWT_ALGORITHM
              + " is "
              + algorithm
              + ", which takes "
              + ConfigKeys.AUTH_JWT_PUBLIC_KEY
              + ": with "
              + ConfigKeys.AUTH_JWT_SECRET
              + " it must be HS256, HS384 or "
              + "HS512");
    }
    if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          ConfigKeys.AUTH_JWT_SECRET
              + " is shorter than "
              + MIN_SECRET_BYTES
              + " bytes: use a random one, e.g. head -c 32 /dev/urandom | base64");
    }
    if (!devMode && isPlaceholder(secret)) {
      throw new IllegalArgumentException(
          ConfigKeys.AUTH_JWT_SECRET
              + " is a placeholder from the deploy files: "
              + "set a secret of your own");
    }
  }

  /**
   * The example values shipped in deploy/ (CHANGE-ME…, the compose file's): never a real secret.
   */
  static boolean isPlaceholder(String secret) {
    String lower = secret.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("change-me")
        || lower.contains("changeme")
        || lower.contains("local-only");
  }

  public static boolean hasKey(JsonObject config) {
    return !config.getString(ConfigKeys.AUTH_JWT_SECRET).isBlank()
        || !config.getString(ConfigKeys.AUTH_JWT_PUBLIC_KEY).isBlank();
  }

  /**
   * The subprotocol a browser offers to carry its token on a WebSocket upgrade, where it cannot set
   * headers: {@code new WebSocket(url, ["bearer", token])}; the servers accept it (and only it) as
   * their subprotocol.
   */
  public static final String WEBSOCKET_BEARER = "bearer";

  /**
   * The {@code Authorization} value of a request: its header, else the token a browser sent as the
   * subprotocol after {@value #WEBSOCKET_BEARER} ({@code Sec-WebSocket-Protocol: bearer, <JWT>});
   * null when there is neither.
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

  /**
   * Checks tokens as {@link #requireKey} allows: the configured key with its own algorithm only,
   * and a bounded exp.
   */
  public static JWTAuth verifier(Vertx vertx, JsonObject config) {
    String secret = config.getString(ConfigKeys.AUTH_JWT_SECRET);
    PubSecKeyOptions key =
        new PubSecKeyOptions()
            .setAlgorithm(config.getString(ConfigKeys.AUTH_JWT_ALGORITHM))
            .setBuffer(
                secret.isBlank() ? config.getString(ConfigKeys.AUTH_JWT_PUBLIC_KEY) : secret);
    JWTOptions checks = new JWTOptions().setLeeway(LEEWAY_SECONDS);
    String issuer = config.getString(ConfigKeys.AUTH_JWT_ISSUER);
    String audience = config.getString(ConfigKeys.AUTH_JWT_AUDIENCE);
    if (!issuer.isBlank()) {
      checks.setIssuer(issuer);
    }
    if (!audience.isBlank()) {
      checks.setAudience(List.of(audience));
    }
    return new ExpiringTokens(
        JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key).setJWTOptions(checks)),
        config.getLong(ConfigKeys.AUTH_MAX_TOKEN_MINUTES) * 60 + LEEWAY_SECONDS);
  }

  /** A token signed with AUTH_JWT_SECRET: for dev mode's startup message and for tests. */
  public static String sign(
      Vertx vertx, JsonObject config, String subject, String scopes, int minutes) {
    return sign(vertx, config, new JsonObject().put("sub", subject).put("scope", scopes), minutes);
  }

  /**
   * A token of these claims ({@code sub}, {@code scope}, {@code customer_id}…) signed with
   * AUTH_JWT_SECRET.
   */
  public static String sign(Vertx vertx, JsonObject config, JsonObject claims, int minutes) {
    JWTOptions options =
        new JWTOptions()
            .setAlgorithm(config.getString(ConfigKeys.AUTH_JWT_ALGORITHM))
            .setExpiresInMinutes(minutes);
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
