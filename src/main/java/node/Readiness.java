package node;

import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;

/**
 * What every node's readiness shares, on the HTTP port or the management port: a node that is
 * shutting down answers not ready before it stops taking work, and a clustered node is ready only
 * while its cluster is safe (joined, no partition migrating).
 */
public final class Readiness {
  private static final String LIFECYCLE = "service.lifecycle";
  private static final String DRAINING = "draining";

  private Readiness() {}

  /**
   * From now on this Vert.x instance's readiness answers 503: load balancers stop sending it work.
   */
  public static void startDraining(Vertx vertx) {
    vertx.sharedData().getLocalMap(LIFECYCLE).put(DRAINING, true);
  }

  public static boolean draining(Vertx vertx) {
    return Boolean.TRUE.equals(vertx.sharedData().getLocalMap(LIFECYCLE).get(DRAINING));
  }

  /** Registers the checks every node's readiness has: the cluster's, when clustered. */
  public static HealthChecks nodeChecks(Vertx vertx) {
    HealthChecks checks = HealthChecks.create(vertx);
    if (vertx.isClustered()) {
      checks.register("cluster", ClusterHealthCheck.createProcedure(vertx));
    }
    return checks;
  }
}
