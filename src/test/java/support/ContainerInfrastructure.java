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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Not run on the machine this was written on (no Docker there): it compiles, and follows the Testcontainers 2 API.
 */
public final class ContainerInfrastructure implements Infrastructure {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerInfrastructure.class);
  private static final int KAFKA_PORT = 9092; // the client listener KafkaContainer advertises on the mapped port
  private static final int REDIS_PORT = 6379;
  private static final int MONGO_PORT = 27017;

  private final PostgreSQLContainer postgres;
  private final KafkaContainer kafka;
  private final MongoDBContainer mongo;
  private final GenericContainer<?> redis;

  private ContainerInfrastructure(PostgreSQLContainer postgres, KafkaContainer kafka, MongoDBContainer mongo,
      GenericContainer<?> redis) {
    this.postgres = postgres;
    this.kafka = kafka;
    this.mongo = mongo;
    this.redis = redis;
  }

  /** Blocking: starts the four containers in parallel; on failure stops them and rethrows. */
  public static ContainerInfrastructure start() {
    long started = System.nanoTime();
    ContainerInfrastructure infra = new ContainerInfrastructure(
        onFixedHostPort(new PostgreSQLContainer(DockerImageName.parse("postgres:15-alpine")),
            PostgreSQLContainer.POSTGRESQL_PORT),
        kafkaOnFixedHostPort(freeHostPort()),
        onFixedHostPort(new MongoDBContainer(DockerImageName.parse("mongo:7")), MONGO_PORT),
        onFixedHostPort(new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(REDIS_PORT),
            REDIS_PORT));
    try {
      Startables.deepStart(infra.postgres, infra.kafka, infra.mongo, infra.redis).join();
    } catch (RuntimeException e) {
      infra.close();
      throw e;
    }
    LOG.info("Test containers started in {} ms: {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), infra.connectionConfig().encode());
    return infra;
  }

  /**
   * A random mapped port would change when the container restarts, while the broker keeps advertising the old
   * one (KafkaContainer writes it into the start script once). A fixed host port, and stop/start of the same
   * container (see {@link #stopKafka()}), keep the bootstrap address and the data. Best effort: the port is
   * checked free on this host, which is the Docker host only for a local engine.
   */
  private static KafkaContainer kafkaOnFixedHostPort(int hostPort) {
    return new KafkaContainer(DockerImageName.parse("apache/kafka:3.9.1"))
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
            new PortBinding(Ports.Binding.bindPort(hostPort), new ExposedPort(KAFKA_PORT))));
  }

  /**
   * The fault hooks stop and start a container; with a random mapped port its address would change on every
   * start, so each service container keeps one fixed host port.
   */
  private static <T extends GenericContainer<?>> T onFixedHostPort(T container, int containerPort) {
    int hostPort = freeHostPort();
    container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
        new PortBinding(Ports.Binding.bindPort(hostPort), new ExposedPort(containerPort))));
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
        .put(PG_URI, "postgresql://" + postgres.getUsername() + ":" + postgres.getPassword() + "@"
            + postgres.getHost() + ":" + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/"
            + postgres.getDatabaseName())
        .put(KAFKA_BOOTSTRAP_SERVERS, kafka.getBootstrapServers())
        .put(MONGO_CONNECTION_STRING, mongo.getConnectionString())
        .put(REDIS_CONNECTION_STRING, "redis://" + redis.getHost() + ":" + redis.getMappedPort(REDIS_PORT));
  }

  /** Stops the container without removing it (GenericContainer.stop() would), so its data survives. */
  @Override
  public void stopKafka() {
    docker().stopContainerCmd(kafka.getContainerId()).exec();
  }

  @Override
  public void startKafka() {
    docker().startContainerCmd(kafka.getContainerId()).exec();
    awaitKafka(kafka.getBootstrapServers());
  }

  @Override
  public void stopPostgres() {
    stop(postgres);
  }

  @Override
  public void startPostgres() {
    restart(postgres);
  }

  @Override
  public void stopRedis() {
    stop(redis);
  }

  @Override
  public void startRedis() {
    restart(redis);
  }

  @Override
  public void stopMongo() {
    stop(mongo);
  }

  @Override
  public void startMongo() {
    restart(mongo);
  }

  /** Stops without removing (GenericContainer.stop() would remove it), so the data survives. */
  private static void stop(GenericContainer<?> container) {
    docker().stopContainerCmd(container.getContainerId()).exec();
  }

  /** Starts the stopped container and waits until its port accepts connections again. */
  private static void restart(GenericContainer<?> container) {
    docker().startContainerCmd(container.getContainerId()).exec();
    int port = container.getFirstMappedPort();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!accepts(container.getHost(), port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(container.getDockerImageName() + " did not come back on port " + port);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // poll interval
    }
  }

  private static boolean accepts(String host, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(host, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private static void awaitKafka(String bootstrapServers) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      // the admin client retries refused connections by itself until this timeout
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(60_000)).nodes().get(70, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Kafka container did not come back on " + bootstrapServers, e);
    }
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
