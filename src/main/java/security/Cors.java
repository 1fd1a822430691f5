package security;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-origin access for browser apps served elsewhere: only the origins in CORS_ALLOWED_ORIGINS
 * (none by default: same-origin only). {@code *} allows any origin but then never with credentials,
 * as the CORS rules demand; a listed origin may send credentials (the Authorization header).
 */
public final class Cors {
  private Cors() {}

  public static Optional<CorsHandler> handler(String allowedOrigins) {
    List<String> origins =
        Arrays.stream(allowedOrigins == null ? new String[0] : allowedOrigins.split(","))
            .map(String::strip)
            .filter(origin -> !origin.isEmpty())
            .toList();
    if (origins.isEmpty()) {
      return Optional.empty();
    }
    boolean anyOrigin = origins.contains("*");
    CorsHandler cors = anyOrigin ? CorsHandler.create() : CorsHandler.create().addOrigins(origins);
    return Optional.of(
        cors.allowCredentials(!anyOrigin)
            .allowedMethods(
                Set.of(
                    HttpMethod.GET,
                    HttpMethod.POST,
                    HttpMethod.PUT,
                    HttpMethod.DELETE,
                    HttpMethod.OPTIONS))
            .allowedHeaders(Set.of("Authorization", "Content-Type", "X-Correlation-ID"))
            .exposedHeaders(Set.of("X-Correlation-ID", "Retry-After", "X-Cache"))
            .maxAgeSeconds(600));
  }
}
