package security;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import resources.FinPulse;

/**
 * Who may call what. Writes need a JWT bearer token with the scope of what they write; admin actions
 * (delete, expire, seed, repair) need {@code admin}; any other write the table does not name needs
 * {@code admin} too, so a new route is never open by accident. Reads are open, or need any valid token when
 * AUTH_READS=token. Health, metrics, the contract and the dashboard's static files are always open.
 * Checking tokens and scopes is vertx-auth-jwt's {@link JWTAuthHandler}: 401 without a valid token, 403 without
 * the scope.
 */
public final class AccessControl implements Handler<RoutingContext> {
  public static final String TRADES_WRITE = "trades:write";
  public static final String RECORDS_WRITE = "records:write";
  public static final String LEDGER_WRITE = "ledger:write";
  public static final String FINPULSE_WRITE = "finpulse:write";
  public static final String ADMIN = "admin";
  /** Any valid token, whatever its scopes. */
  private static final String ANY_TOKEN = "";

  /** Writes with a scope of their own, by "METHOD path"; looked up once per write request. */
  private static final Map<String, String> WRITE_SCOPES = Map.of(
      "POST /api/v1/trades", TRADES_WRITE,
      "POST /records", RECORDS_WRITE,
      "POST /api/v1/blockchain/transfers", LEDGER_WRITE);
  /** Writes of the 18 FinPulse resources, their batches and the VaR computations. */
  private static final Pattern FINPULSE_PATHS = Pattern.compile("^/api/v1/(" + FinPulse.ALL.stream()
      .map(resource -> Pattern.quote(resource.name())).collect(Collectors.joining("|")) + ")(/.*)?$");
  private static final Set<String> OPEN_READ_PREFIXES = Set.of("/health", "/api/v1/health", "/metrics", "/openapi.yaml",
      "/docs", "/assets/");

  private final JWTAuth auth;
  private final boolean readsNeedToken;
  private final Map<String, Handler<RoutingContext>> byScope = new HashMap<>();

  private AccessControl(JWTAuth auth, boolean readsNeedToken) {
    this.auth = auth;
    this.readsNeedToken = readsNeedToken;
  }

  /** Null when AUTH_ENABLED is false: then nothing is checked. */
  public static AccessControl create(Vertx vertx, JsonObject config) {
    if (!config.getBoolean(ConfigKeys.AUTH_ENABLED)) {
      return null;
    }
    Tokens.requireKey(config);
    return new AccessControl(Tokens.verifier(vertx, config), "token".equals(config.getString(ConfigKeys.AUTH_READS)));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String scope = requiredScope(ctx.request().method(), ctx.normalizedPath());
    if (scope == null) {
      ctx.next();
    } else {
      byScope.computeIfAbsent(scope, this::checker).handle(ctx);
    }
  }

  private Handler<RoutingContext> checker(String scope) {
    JWTAuthHandler handler = JWTAuthHandler.create(auth);
    return scope.equals(ANY_TOKEN) ? handler : handler.withScope(scope);
  }

  /** The scope a request needs: null when it is open, "" when any valid token will do. */
  String requiredScope(HttpMethod method, String path) {
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    if (read) {
      return !readsNeedToken || isAlwaysOpen(path) ? null : ANY_TOKEN;
    }
    String scope = WRITE_SCOPES.get(method.name() + " " + path);
    if (scope != null) {
      return scope;
    }
    return FINPULSE_PATHS.matcher(path).matches() ? FINPULSE_WRITE : ADMIN;
  }

  private static boolean isAlwaysOpen(String path) {
    return path.equals("/") || OPEN_READ_PREFIXES.stream().anyMatch(path::startsWith);
  }

  /** For the WebSocket upgrade: whether reads need a token at all. */
  public boolean readsNeedToken() {
    return readsNeedToken;
  }

  /** Verifies a bearer token, as the HTTP handler does; fails when it is missing, expired or not signed by us. */
  public Future<User> authenticate(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture("no bearer token");
    }
    return auth.authenticate(new TokenCredentials(authorizationHeader.substring(7).strip()));
  }
}
