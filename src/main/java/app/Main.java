package app;

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
    Vertx vertx = vertxWithMetrics();
    Bootstrap.start(vertx, new JsonObject())
        .onSuccess(running -> {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, running), "shutdown"));
          // Counted from the JVM's start, class loading included: what an operator waits for.
          LOG.info("Service ready in {} ms: roles [{}], HTTP on {}:{}, WebSocket on port {}",
              ManagementFactory.getRuntimeMXBean().getUptime(), running.config().getString(ConfigKeys.ROLES),
              running.config().getString(ConfigKeys.HTTP_HOST), running.config().getInteger(ConfigKeys.HTTP_PORT),
              running.config().getInteger(ConfigKeys.PUSH_HTTP_PORT));
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
   * Undeploys in reverse deployment order, so writers stop before the audit writer that records what
   * they did (verticles flush their buffers on stop), then stops the embedded servers.
   */
  private static void shutdown(Vertx vertx, Bootstrap.Running running) {
    LOG.info("Shutting down");
    try {
      List<String> deployments = new ArrayList<>(running.deployments());
      Collections.reverse(deployments);
      for (String id : deployments) {
        vertx.undeploy(id).await();
      }
      vertx.close().await();
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
    } finally {
      running.infrastructure().close();
    }
  }
}
