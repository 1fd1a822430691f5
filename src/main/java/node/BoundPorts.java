package node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The ports this JVM's servers really listen on. A configured port of 0 means "any free port": the
 * server binds one itself (no probe-then-bind race) and records it here, under its config key, for
 * the startup log, the dashboard's settings and tests.
 */
public final class BoundPorts {
  private static final String MAP = "bound-ports";

  private BoundPorts() {}

  /**
   * The port to hand to {@code listen}. Vert.x gives every server instance its own random port for
   * 0, but one shared random port per negative value, so each server (by its sharing group) gets
   * its own negative.
   */
  public static int listenPort(int configured, int sharingGroup) {
    return configured == 0 ? -sharingGroup : configured;
  }

  public static void record(Vertx vertx, String configKey, int port) {
    vertx.sharedData().<String, Integer>getLocalMap(MAP).put(configKey, port);
  }

  /**
   * The bound port of a server in this JVM, else the configured one (the server runs in another
   * JVM).
   */
  public static int resolve(Vertx vertx, String configKey, int configured) {
    Integer bound = bound(vertx, configKey);
    return bound != null ? bound : configured;
  }

  /** Every port this JVM's servers bound, by config key. */
  public static Map<String, Integer> all(Vertx vertx) {
    return Map.copyOf(vertx.sharedData().<String, Integer>getLocalMap(MAP));
  }

  /** The port a server of this JVM listens on, or null when none of this JVM does. */
  public static Integer bound(Vertx vertx, String configKey) {
    return vertx.sharedData().<String, Integer>getLocalMap(MAP).get(configKey);
  }

  /** The config with every port recorded in this JVM in place of its configured value. */
  public static JsonObject applyTo(Vertx vertx, JsonObject config) {
    JsonObject resolved = config.copy();
    vertx.sharedData().<String, Integer>getLocalMap(MAP).forEach(resolved::put);
    return resolved;
  }
}
