package infra.embedded;

import infra.EmbeddedServers;
import infra.Infrastructure;
import io.vertx.core.json.JsonObject;

/**
 * The development servers' registration (META-INF/services), which only the dev classpath and the
 * tests carry.
 */
public final class DevServers implements EmbeddedServers {
  @Override
  public Infrastructure startMissing(JsonObject config) {
    return EmbeddedInfrastructure.startMissing(config);
  }
}
