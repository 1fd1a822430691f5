package security;

import contract.ConfigKeys;
import contract.Scopes;
import domain.Caller;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may call what, as each operation of the API contract declares it ({@link AccessRule}): no
 * token for the open ones (probes, scrapers, the dashboard page, the contract), else a JWT bearer
 * token holding one of the operation's scope sets (401 without a valid token, 403 without the
 * scopes). Reads that any token may make need none when AUTH_READS is open (dev mode). Paths the
 * contract does not list: the static trees are open, other reads need a token, and other writes
 * need {@code admin}, so nothing is open by omission. Which objects the caller then reaches is its
 * {@link Caller}'s, put on the request for the routes and the writers behind them.
 */
public final class AccessControl {
  private static final String CALLER = "access.caller";
  private static final List<String> OPEN_TREES = List.of("/assets/", "/docs/");
  private static final AccessRule UNLISTED_READ =
      new AccessRule(false, List.of(Set.of()), AccessRule.NOT_OWNED, null);
  private static final AccessRule UNLISTED_WRITE =
      new AccessRule(false, List.of(Set.of(Scopes.ADMIN)), AccessRule.NOT_OWNED, null);
  private static final AccessRule OPEN_TREE =
      new AccessRule(true, List.of(), AccessRule.NOT_OWNED, null);

  /**
   * The push port's operations, which no contract lists as it serves no routes: the quotes
   * WebSocket is a read any token may make; its statistics (who is connected, how much is
   * conflated) are staff's.
   */
  public static final Map<String, AccessRule> PUSH_PORT =
      Map.of(
          "/ws/quotes", new AccessRule(false, List.of(Set.of()), AccessRule.NOT_OWNED, null),
          "/ws/stats",
              new AccessRule(
                  false,
                  List.of(Set.of(Scopes.OPS_READ), Set.of(Scopes.ADMIN)),
                  AccessRule.NOT_OWNED,
                  null));

  /**
   * Why a request without a router (the push port) was refused: the status to answer, 401 or 403.
   */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final JWTAuth auth; // null when AUTH_ENABLED is false
  private final JWTAuthHandler tokens;
  private final boolean readsNeedToken;
  private final Function<RoutingContext, AccessRule> rules;

  private AccessControl(
      JWTAuth auth, boolean readsNeedToken, Function<RoutingContext, AccessRule> rules) {
    this.auth = auth;
    this.tokens = auth == null ? null : JWTAuthHandler.create(auth);
    this.readsNeedToken = readsNeedToken;
    this.rules = rules;
  }

  /**
   * @param rules the rule of a request's operation, null when the contract lists none; with
   *     AUTH_ENABLED=false nothing is checked and every caller is {@link Caller#UNCHECKED}
   */
  public static AccessControl create(
      Vertx vertx, JsonObject config, Function<RoutingContext, AccessRule> rules) {
    if (!config.getBoolean(ConfigKeys.AUTH_ENABLED)) {
      return new AccessControl(null, false, rules);
    }
    Tokens.requireKey(config);
    // anything but "open" (auto unresolved, a deployment without Bootstrap) needs a token: closed
    // by default
    return new AccessControl(
        Tokens.verifier(vertx, config),
        !"open".equals(config.getString(ConfigKeys.AUTH_READS)),
        rules);
  }

  /** For the push port: its requests are checked with {@link #admit} against {@link #PUSH_PORT}. */
  public static AccessControl pushPort(Vertx vertx, JsonObject config) {
    return create(vertx, config, ctx -> null);
  }

  /** The caller a request was let through as. */
  public static Caller callerOf(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    if (caller == null) {
      throw new IllegalStateException(
          "no caller on " + ctx.request().path() + ": the access control runs first");
    }
    return caller;
  }

  /**
   * In front of every route: the token, when the operation needs one; then {@code afterToken} (the
   * rate limit, which counts a caller by its token's subject), unless null; then the token's
   * scopes.
   */
  public void mount(Router router, Handler<RoutingContext> afterToken) {
    router.route().handler(this::authenticate);
    if (afterToken != null) {
      router.route().handler(afterToken);
    }
    router.route().handler(this::authorize);
  }

  private void authenticate(RoutingContext ctx) {
    carryWebSocketToken(ctx);
    AccessRule rule = ruleOf(ctx);
    if (auth == null || rule.open() || readWithoutToken(ctx, rule)) {
      ctx.next();
    } else {
      tokens.handle(ctx); // 401 without a valid token; pauses the request while it checks
    }
  }

  private void authorize(RoutingContext ctx) {
    AccessRule rule = ruleOf(ctx);
    User user = ctx.user();
    if (auth == null) {
      ctx.put(CALLER, Caller.UNCHECKED);
    } else if (rule.open()) {
      ctx.put(CALLER, Caller.ANONYMOUS);
    } else if (user == null) {
      ctx.put(CALLER, Caller.OPEN_READER);
    } else {
      Caller caller = caller(user.principal());
      if (!rule.allows(caller.scopes())) {
        ctx.fail(403);
        return;
      }
      ctx.put(CALLER, caller);
    }
    ctx.next();
  }

  /**
   * A browser's WebSocket upgrade carries its token as a subprotocol ({@link
   * Tokens#WEBSOCKET_BEARER}): made the request's Authorization header, so it is checked like any
   * other, and relayed to the push server with it.
   */
  private static void carryWebSocketToken(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (protocols != null && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
      String authorization = Tokens.authorization(null, protocols);
      if (authorization != null) {
        request.headers().set(HttpHeaders.AUTHORIZATION, authorization);
      }
    }
  }

  private static Caller caller(JsonObject claims) {
    Object customer = claims.getValue(Scopes.CUSTOMER_ID_CLAIM);
    return new Caller(
        claims.getString("sub"),
        customer instanceof String id ? id : null,
        Caller.scopes(claims.getValue("scope") instanceof String scope ? scope : null));
  }

  private AccessRule ruleOf(RoutingContext ctx) {
    AccessRule rule = rules.apply(ctx);
    if (rule != null) {
      return rule;
    }
    String path = ctx.normalizedPath();
    if (!isRead(ctx.request().method())) {
      return UNLISTED_WRITE;
    }
    return OPEN_TREES.stream().anyMatch(path::startsWith) ? OPEN_TREE : UNLISTED_READ;
  }

  /** A read any token may make, sent without one, where reads are open. */
  private boolean readWithoutToken(RoutingContext ctx, AccessRule rule) {
    return !readsNeedToken
        && rule.anyToken()
        && isRead(ctx.request().method())
        && ctx.request().getHeader("Authorization") == null;
  }

  private static boolean isRead(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }

  /**
   * For a server without a router (the push port): the caller a request with this Authorization
   * header is under {@code rule}, as the router's handlers decide it; fails with {@link Refused}. A
   * request is a read here.
   */
  public Future<Caller> admit(AccessRule rule, String authorization) {
    if (auth == null) {
      return Future.succeededFuture(Caller.UNCHECKED);
    }
    if (rule.open()) {
      return Future.succeededFuture(Caller.ANONYMOUS);
    }
    if (authorization == null && !readsNeedToken && rule.anyToken()) {
      return Future.succeededFuture(Caller.OPEN_READER);
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(new Refused(401, "no bearer token"));
    }
    return auth.authenticate(new TokenCredentials(authorization.substring(7).strip()))
        .recover(invalid -> Future.failedFuture(new Refused(401, invalid.getMessage())))
        .compose(
            user -> {
              Caller caller = caller(user.principal());
              return rule.allows(caller.scopes())
                  ? Future.succeededFuture(caller)
                  : Future.failedFuture(new Refused(403, "the token lacks the scope this needs"));
            });
  }
}
