package http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.HSTSHandler;
import io.vertx.ext.web.handler.XFrameHandler;

/**
 * The browser-facing headers on every answer of the API port, errors included. The content policy
 * lets the dashboard and the docs load only this service's own scripts, and open WebSockets (the
 * quotes feed is on its own port, which {@code 'self'} does not cover); inline styles stay allowed
 * for the chart library and Swagger UI, inline scripts do not. No page may be framed
 * (clickjacking). HSTS is sent on TLS connections only, as a browser ignores it over plain HTTP.
 */
public final class SecurityHeaders {
  /** The Content-Security-Policy, directive by directive. */
  public static final String[][] POLICY = {
    {"default-src", "'self'"},
    {"script-src", "'self'"},
    {"style-src", "'self' 'unsafe-inline'"},
    {"img-src", "'self' data:"},
    {"connect-src", "'self' ws: wss:"},
    {"object-src", "'none'"},
    {"base-uri", "'none'"},
    {"form-action", "'self'"},
    {"frame-ancestors", "'none'"},
  };

  private static final long HSTS_MAX_AGE_SECONDS = 365L * 24 * 3600;

  private SecurityHeaders() {}

  public static void mount(Router router) {
    CSPHandler csp = CSPHandler.create();
    for (String[] directive : POLICY) {
      csp.setDirective(directive[0], directive[1]);
    }
    router
        .route()
        .handler(HSTSHandler.create(HSTS_MAX_AGE_SECONDS, false))
        .handler(XFrameHandler.create(XFrameHandler.DENY))
        .handler(csp)
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              ctx.next();
            });
  }
}
