package infra;

import io.vertx.core.json.JsonObject;
import java.util.ServiceLoader;

/**
 * The development servers (PostgreSQL, Kafka, the MongoDB stand-in, Redis), found at run time: dev
 * mode ({@code ./deploy/dev.sh}) and the tests have them on their classpath; the production jar
 * carries neither them nor this service's registration.
 */
public interface EmbeddedServers {
  /** Starts a server for every connection key the config leaves blank (blocking). */
  Infrastructure startMissing(JsonObject config);

  /**
   * The servers of {@link #startMissing}, from the classpath; fails when this build does not carry
   * them.
   */
  static Infrastructure start(JsonObject config) {
    return ServiceLoader.load(EmbeddedServers.class)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "DEV_MODE=true needs the development servers, which this jar does not carry:"
                        + " run ./deploy/dev.sh, or set the connection keys and DEV_MODE=false"))
        .startMissing(config);
  }
}
