package app;

import contract.ConfigKeys;
import http.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: one jar, any subset of verticles by ROLES. */
public final class Main {
  static {
    // Logging config lives with the rest of the config; set before the first logger is created.
    System.setProperty("logback.configurationFile",
        System.getProperty("logback.configurationFile", "conf/logback.xml"));
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    JsonObject config = ConfigLoader.loadOnce();
    Clustering.build(Vertx.builder().withMetrics(new MicrometerMetricsFactory()), vertxOptions(), config)
        .onSuccess(vertx -> start(vertx, config))
        .onFailure(e -> {
          LOG.error("Could not start Vert.x{}: {}", Clustering.enabled(config) ? " and join the cluster" : "",
              e.getMessage(), e);
          System.exit(1);
        });
  }

  private static void start(Vertx vertx, JsonObject config) {
    Bootstrap.start(vertx, config)
        .onSuccess(running -> {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, running), "shutdown"));
          // Counted from the JVM's start, class loading included: what an operator waits for.
          LOG.info("Service ready in {} ms: roles [{}], HTTP on {}:{}, WebSocket on port {}, management on port {}{}",
              ManagementFactory.getRuntimeMXBean().getUptime(), running.config().getString(ConfigKeys.ROLES),
              running.config().getString(ConfigKeys.HTTP_HOST), running.config().getInteger(ConfigKeys.HTTP_PORT),
              running.config().getInteger(ConfigKeys.PUSH_HTTP_PORT), running.config().getInteger(ConfigKeys.MANAGEMENT_PORT),
              vertx.isClustered() ? ", clustered as " + running.config().getString(ConfigKeys.CLUSTER_NAME) : "");
        })
        .onFailure(e -> {
          LOG.error("Startup failed: {}", e.getMessage(), e);
          // Vert.x threads are not daemons: without an explicit exit the JVM would hang here.
          vertx.close().onComplete(done -> System.exit(1));
        });
  }

  /** The Vert.x the service runs in: with Micrometer metrics, scraped at /metrics. */
  public static Vertx vertxWithMetrics() {
    return Vertx.builder().with(vertxOptions()).withMetrics(new MicrometerMetricsFactory()).build();
  }

  private static VertxOptions vertxOptions() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setEnabled(true));
  }

  /**
   * On SIGTERM, within SHUTDOWN_DEADLINE_MS: readiness fails first, so balancers stop sending work; then the
   * roles stop in reverse deployment order: the HTTP and WebSocket edge (in-flight requests drain), the
   * Kafka consumers (they pause, finish what is in flight and commit), then the handlers, the price and
   * audit buffers flushing as they go, each closing its pools; then Vert.x leaves the cluster, and the
   * embedded servers stop last.
   */
  private static void shutdown(Vertx vertx, Bootstrap.Running running) {
    long deadlineMs = running.config().getLong(ConfigKeys.SHUTDOWN_DEADLINE_MS, 20_000L);
    LOG.info("Shutting down, within {} ms", deadlineMs);
    Readiness.startDraining(vertx);
    try {
      undeployInReverse(vertx, running.deployments()).await(deadlineMs, TimeUnit.MILLISECONDS);
      vertx.close().await(deadlineMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Shutdown passed its {} ms deadline: stopping now, unfinished work is redelivered", deadlineMs);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
    } finally {
      running.infrastructure().close();
    }
  }

  private static Future<Void> undeployInReverse(Vertx vertx, List<String> deployments) {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }
}
