package support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import infra.Infrastructure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same four servers as Docker containers (Testcontainers), for machines with a Docker engine.
 * Not run on the machine this was written on (no Docker there): it compiles, and follows the
 * Testcontainers 2 API.
 */
public final class ContainerInfrastructure implements Infrastructure {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerInfrastructure.class);
  private static final int KAFKA_PORT =
      9092; // the client listener KafkaContainer advertises on the mapped port
  private static final int REDIS_PORT = 6379;
  private static final int MONGO_PORT = 27017;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private final PostgreSQLContainer postgres;
  private final KafkaContainer kafka;
  private final MongoDBContainer mongo;
  private final GenericContainer<?> redis;

  private ContainerInfrastructure(
      PostgreSQLContainer postgres,
      KafkaContainer kafka,
      MongoDBContainer mongo,
      GenericContainer<?> redis) {
    this.postgres = postgres;
    this.kafka = kafka;
    this.mongo = mongo;
    this.redis = redis;
  }

  /** Blocking: starts the four containers in parallel; on failure stops them and rethrows. */
  public static ContainerInfrastructure start() {
    long started = System.nanoTime();
    ContainerInfrastructure infra =
        new ContainerInfrastructure(
            onFixedHostPort(
                new PostgreSQLContainer(DockerImageName.parse("postgres:15-alpine")),
                PostgreSQLContainer.POSTGRESQL_PORT),
            onFixedHostPort(
                new KafkaContainer(DockerImageName.parse("apache/kafka:3.9.1")), KAFKA_PORT),
            onFixedHostPort(new MongoDBContainer(DockerImageName.parse("mongo:7")), MONGO_PORT),
            // Valkey (BSD-3-Clause), Redis's open fork, as deploy/docker-compose.yml runs it
            onFixedHostPort(
                new GenericContainer<>(DockerImageName.parse("valkey/valkey:8-alpine"))
                    .withExposedPorts(REDIS_PORT)
                    .withCommand("valkey-server", "--save", "", "--appendonly", "no"),
                REDIS_PORT)); // in memory, as embedded
    try {
      Startables.deepStart(infra.postgres, infra.kafka, infra.mongo, infra.redis).join();
    } catch (RuntimeException e) {
      infra.close();
      throw e;
    }
    LOG.info(
        "Test containers started in {} ms: {}",
        millisSince(started),
        infra.connectionConfig().encode());
    return infra;
  }

  /**
   * The fault hooks stop and start a container; a random mapped port would change on every start
   * (and the Kafka broker would keep advertising the old one: KafkaContainer writes it into its
   * start script once). So each container keeps one fixed host port. Best effort: the port is
   * checked free on this host, which is the Docker host only for a local engine.
   */
  private static <T extends GenericContainer<?>> T onFixedHostPort(T container, int containerPort) {
    int hostPort = freeHostPort();
    container.withCreateContainerCmdModifier(
        cmd ->
            cmd.getHostConfig()
                .withPortBindings(
                    new PortBinding(
                        Ports.Binding.bindPort(hostPort), new ExposedPort(containerPort))));
    return container;
  }

  private static int freeHostPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public JsonObject connectionConfig() {
    return new JsonObject()
        .put(
            PG_URI,
            "postgresql://"
                + postgres.getUsername()
                + ":"
                + postgres.getPassword()
                + "@"
                + postgres.getHost()
                + ":"
                + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT)
                + "/"
                + postgres.getDatabaseName())
        .put(KAFKA_BOOTSTRAP_SERVERS, kafka.getBootstrapServers())
        .put(MONGO_CONNECTION_STRING, mongo.getConnectionString())
        .put(
            REDIS_CONNECTION_STRING,
            "redis://" + redis.getHost() + ":" + redis.getMappedPort(REDIS_PORT));
  }

  @Override
  public void stopKafka() {
    stop(kafka);
  }

  @Override
  public void startKafka() {
    start(kafka, () -> kafkaAnswers(kafka.getBootstrapServers()));
  }

  @Override
  public void stopPostgres() {
    stop(postgres);
  }

  /**
   * SIGKILL of the container's main process, the postmaster: the container ends with it, its volume
   * stays.
   */
  @Override
  public void killPostgres() {
    timed(
        "kill",
        postgres,
        () -> docker().killContainerCmd(postgres.getContainerId()).withSignal("KILL").exec());
  }

  @Override
  public void startPostgres() {
    start(
        postgres,
        () -> exitsZero(postgres, "pg_isready", "-h", "127.0.0.1", "-U", postgres.getUsername()));
  }

  @Override
  public void stopRedis() {
    stop(redis);
  }

  @Override
  public void startRedis() {
    start(redis, () -> exitsZero(redis, "redis-cli", "ping"));
  }

  @Override
  public void stopMongo() {
    stop(mongo);
  }

  /**
   * Answers = the single-member replica set has elected itself primary again, so writes are
   * accepted.
   */
  @Override
  public void startMongo() {
    start(
        mongo,
        () ->
            exitsZero(
                mongo,
                "mongosh",
                "--quiet",
                "--eval",
                "quit(db.hello().isWritablePrimary ? 0 : 1)"));
  }

  /** docker stop, not GenericContainer.stop(), which would remove the container and its data. */
  private static void stop(GenericContainer<?> container) {
    timed("stop", container, () -> docker().stopContainerCmd(container.getContainerId()).exec());
  }

  /**
   * docker start of the same container (same data, same fixed host port), then waits until it
   * answers.
   */
  private static void start(GenericContainer<?> container, BooleanSupplier answers) {
    long started = System.nanoTime();
    if (!container.isRunning()) {
      docker().startContainerCmd(container.getContainerId()).exec();
    }
    long deadline = started + START_TIMEOUT.toNanos();
    while (!answers.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            container.getDockerImageName() + " does not answer after " + START_TIMEOUT);
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
    LOG.info("Container {} started in {} ms", container.getDockerImageName(), millisSince(started));
  }

  /**
   * Runs {@code step} when the container is running (so each hook is idempotent), and logs its
   * duration.
   */
  private static void timed(String what, GenericContainer<?> container, Runnable step) {
    long started = System.nanoTime();
    if (container.isRunning()) {
      step.run();
    }
    LOG.info(
        "Container {}: {} done in {} ms",
        container.getDockerImageName(),
        what,
        millisSince(started));
  }

  private static boolean exitsZero(GenericContainer<?> container, String... command) {
    try {
      return container.execInContainer(command).getExitCode() == 0;
    } catch (IOException | RuntimeException e) {
      return false; // not running yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while waiting for " + container.getDockerImageName(), e);
    }
  }

  private static boolean kafkaAnswers(String bootstrapServers) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      return !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
          .nodes()
          .get(10, TimeUnit.SECONDS)
          .isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  @Override
  public void close() {
    for (GenericContainer<?> container : List.of(kafka, redis, mongo, postgres)) {
      try {
        container.stop();
      } catch (RuntimeException e) {
        LOG.warn("Could not stop container {}", container.getDockerImageName(), e);
      }
    }
  }
}
