package security;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * vertx-auth's check, and then one it leaves out: a token must expire ({@code exp}), and not
 * further ahead than the service allows, so a leaked token is not good forever.
 */
final class ExpiringTokens implements JWTAuth {
  private final JWTAuth checked;
  private final long maxSecondsAhead;

  ExpiringTokens(JWTAuth checked, long maxSecondsAhead) {
    this.checked = checked;
    this.maxSecondsAhead = maxSecondsAhead;
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    return checked
        .authenticate(credentials)
        .compose(
            user -> {
              Long expires = user.attributes().getLong("exp", user.principal().getLong("exp"));
              if (expires == null) {
                return Future.failedFuture("the token has no exp: tokens must expire");
              }
              if (expires > System.currentTimeMillis() / 1000 + maxSecondsAhead) {
                return Future.failedFuture(
                    "the token expires further ahead than AUTH_MAX_TOKEN_MINUTES allows");
              }
              return Future.succeededFuture(user);
            });
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    return checked.generateToken(claims, options);
  }

  @Override
  public String generateToken(JsonObject claims) {
    return checked.generateToken(claims);
  }
}
