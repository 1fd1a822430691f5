package app;

import contract.ConfigKeys;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import metrics.Meters;
import metrics.MetricsRegistry;
import node.BoundPorts;
import node.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: one jar, any subset of verticles by ROLES. */
public final class Main {
  static {
    // Logging config lives with the rest of the config; set before the first logger is created.
    System.setProperty(
        "logback.configurationFile",
        System.getProperty("logback.configurationFile", "conf/logback.xml"));
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    JsonObject config;
    try {
      config = ConfigLoader.loadOnce();
    } catch (IllegalArgumentException badSetting) {
      LOG.error("Not started: {}", badSetting.getMessage());
      System.exit(2);
      return;
    }
    vertx(config)
        .onSuccess(vertx -> start(vertx, config))
        .onFailure(
            e -> {
              LOG.error(
                  "Could not start Vert.x{}: {}",
                  Clustering.enabled(config) ? " and join the cluster" : "",
                  e.getMessage(),
                  e);
              System.exit(1);
            });
  }

  private static void start(Vertx vertx, JsonObject config) {
    Bootstrap.start(vertx, config)
        .onSuccess(
            running -> {
              Runtime.getRuntime()
                  .addShutdownHook(new Thread(() -> shutdown(vertx, running), "shutdown"));
              // Counted from the JVM's start, class loading included: what an operator waits for.
              LOG.info(
                  "Service ready in {} ms: roles [{}], listening on {} ({}){}",
                  ManagementFactory.getRuntimeMXBean().getUptime(),
                  running.config().getString(ConfigKeys.ROLES),
                  running.config().getString(ConfigKeys.HTTP_HOST),
                  listeners(vertx),
                  vertx.isClustered()
                      ? ", clustered as " + running.config().getString(ConfigKeys.CLUSTER_NAME)
                      : "");
            })
        .onFailure(
            e -> {
              LOG.error("Startup failed: {}", e.getMessage(), e);
              // Vert.x threads are not daemons: without an explicit exit the JVM would hang here.
              vertx.close().onComplete(done -> System.exit(1));
            });
  }

  /**
   * The servers this JVM really bound, e.g. {@code HTTP_PORT=8080, PUSH_HTTP_PORT=8081}: no port it
   * does not serve.
   */
  private static String listeners(Vertx vertx) {
    return String.join(
        ", ",
        BoundPorts.all(vertx).entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList());
  }

  /**
   * The Vert.x the service runs in: with Micrometer metrics, scraped at /metrics, and joined to the
   * cluster when CLUSTER_ENABLED is set.
   */
  public static Future<Vertx> vertx(JsonObject config) {
    return Clustering.build(
            Vertx.builder().withMetrics(new MicrometerMetricsFactory()), vertxOptions(), config)
        .map(Main::bindProcessMeters);
  }

  /**
   * Histogram buckets (for p50/p95/p99 in Prometheus) on the HTTP server's response time only: on
   * every timer, as VertxPrometheusOptions.setPublishQuantiles does, each event-bus message would
   * update dozens of buckets. Vert.x registers that timer at the first request, after this filter
   * is in place.
   */
  private static final MeterFilter HTTP_LATENCY_HISTOGRAM =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          return id.getName().equals(Meters.HTTP_SERVER_RESPONSE_TIME)
              ? DistributionStatisticConfig.builder()
                  .percentilesHistogram(true)
                  .build()
                  .merge(config)
              : config;
        }
      };

  /**
   * Prometheus metrics: Vert.x's own (HTTP server meters labelled by route template, never by raw
   * path, with histogram buckets for percentiles), JVM memory, GC, threads, CPU and class loading;
   * file descriptors and uptime are bound in {@link #bindProcessMeters}.
   */
  private static VertxOptions vertxOptions() {
    return new VertxOptions()
        .setMetricsOptions(
            new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .addLabels(Label.HTTP_ROUTE)
                .setJvmMetricsEnabled(true)
                .setEnabled(true));
  }

  private static Vertx bindProcessMeters(Vertx vertx) {
    MetricsRegistry.get().config().meterFilter(HTTP_LATENCY_HISTOGRAM);
    new FileDescriptorMetrics().bindTo(MetricsRegistry.get());
    new UptimeMetrics().bindTo(MetricsRegistry.get());
    return vertx;
  }

  /**
   * On SIGTERM, within SHUTDOWN_DEADLINE_MS: readiness fails first, so balancers stop sending work;
   * then the roles stop in {@link Roles#inStopOrder} order: the HTTP and WebSocket edge (in-flight
   * requests drain), the Kafka consumers (they pause, finish what is in flight and commit) and
   * timers, the writers (the price buffer flushes), the outbox, the audit writer (its buffer
   * flushes), each verticle closing its pools; then Vert.x leaves the cluster, and the embedded
   * servers stop last. Each step is logged as "Shutdown: …".
   */
  private static void shutdown(Vertx vertx, Bootstrap.Running running) {
    long deadlineMs = running.config().getLong(ConfigKeys.SHUTDOWN_DEADLINE_MS);
    long deadline = System.currentTimeMillis() + deadlineMs;
    Readiness.startDraining(vertx);
    LOG.info("Shutdown: readiness fails from now on; stopping within {} ms", deadlineMs);
    try {
      undeployInOrder(vertx, Roles.inStopOrder(running.deployments()))
          .await(deadlineMs, TimeUnit.MILLISECONDS);
      boolean clustered = vertx.isClustered();
      vertx
          .close()
          .await(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      LOG.info("Shutdown: Vert.x closed{}", clustered ? ", left the cluster" : "");
    } catch (TimeoutException e) {
      LOG.warn(
          "Shutdown passed its {} ms deadline: stopping now, unfinished work is redelivered",
          deadlineMs);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
    } finally {
      running.infrastructure().close();
    }
  }

  private static Future<Void> undeployInOrder(Vertx vertx, List<Roles.Deployment> deployments) {
    Future<Void> chain = Future.succeededFuture();
    for (Roles.Deployment deployment : deployments) {
      chain = chain.compose(v -> undeploy(vertx, deployment));
    }
    return chain;
  }

  private static Future<Void> undeploy(Vertx vertx, Roles.Deployment deployment) {
    long started = System.currentTimeMillis();
    return vertx
        .undeploy(deployment.id())
        .onSuccess(
            v ->
                LOG.info(
                    "Shutdown: role {} stopped in {} ms",
                    deployment.role(),
                    System.currentTimeMillis() - started))
        .onFailure(
            e ->
                LOG.warn(
                    "Shutdown: role {} did not stop cleanly: {}",
                    deployment.role(),
                    e.getMessage()))
        .otherwiseEmpty();
  }
}
