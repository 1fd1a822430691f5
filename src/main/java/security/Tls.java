package security;

import contract.ConfigKeys;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * HTTPS (and so WSS) for every HTTP server of a node, when HTTP_TLS_CERT_PATH and HTTP_TLS_KEY_PATH
 * name PEM files.
 */
public final class Tls {
  private Tls() {}

  public static HttpServerOptions apply(HttpServerOptions options, JsonObject config) {
    String cert = config.getString(ConfigKeys.HTTP_TLS_CERT_PATH);
    String key = config.getString(ConfigKeys.HTTP_TLS_KEY_PATH);
    if (cert.isBlank() != key.isBlank()) {
      throw new IllegalArgumentException(
          ConfigKeys.HTTP_TLS_CERT_PATH
              + " and "
              + ConfigKeys.HTTP_TLS_KEY_PATH
              + " go together: set both for HTTPS, or neither");
    }
    return cert.isBlank()
        ? options
        : options
            .setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key));
  }
}
