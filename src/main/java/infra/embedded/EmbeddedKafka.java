package infra.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 3.9 broker+controller (KRaft) inside this JVM, listening on 127.0.0.1 only.
 * It can be stopped and started again on the same ports and log dir, for tests of broker outages.
 */
final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  private static final long READY_TIMEOUT_MS = 60_000;

  private final Path logDir;
  private final Path configFile;
  private final int port;
  private final Properties config;
  private KafkaRaftServer server; // null while stopped

  private final int tlsPort; // 0 without a TLS listener

  /**
   * A certificate chain and its PKCS#8 key, in PEM, for a TLS listener beside the plaintext one.
   */
  record TlsListener(String certificateChainPem, String privateKeyPem) {}

  private EmbeddedKafka(Path dir, int port, int controllerPort, int tlsPort, TlsListener tls) {
    this.logDir = dir.resolve("logs");
    this.configFile = dir.resolve("server.properties");
    this.port = port;
    this.tlsPort = tlsPort;
    this.config = brokerConfig(logDir, port, controllerPort);
    if (tls != null) {
      addTlsListener(config, tlsPort, tls);
    }
  }

  /**
   * A fresh broker with a TLS listener too, for tests of the clients' TLS settings; see {@link
   * #tlsBootstrapServers}.
   */
  static EmbeddedKafka startWithTls(Path dir, TlsListener tls) throws Exception {
    neverExitTheJvm();
    DataDirectory.wipe(dir);
    Files.createDirectories(dir);
    return FreePort.bind(
        "Kafka",
        FreePort::pick,
        ports -> {
          EmbeddedKafka kafka = new EmbeddedKafka(dir, ports[0], ports[1], ports[2], tls);
          kafka.writeConfigFile();
          kafka.formatIfNeeded();
          kafka.startBroker();
          return kafka;
        },
        0,
        0,
        0);
  }

  private static void addTlsListener(Properties props, int tlsPort, TlsListener tls) {
    String listener = "SSL://" + FreePort.LOOPBACK + ":" + tlsPort;
    props.put("listeners", props.getProperty("listeners") + "," + listener);
    props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + listener);
    props.put(
        "listener.security.protocol.map",
        props.getProperty("listener.security.protocol.map") + ",SSL:SSL");
    props.put("ssl.keystore.type", "PEM");
    props.put("ssl.keystore.certificate.chain", tls.certificateChainPem());
    props.put("ssl.keystore.key", tls.privateKeyPem());
  }

  String tlsBootstrapServers() {
    return FreePort.LOOPBACK + ":" + tlsPort;
  }

  /**
   * Starts on {@code port} (0 = any free port); {@code fresh} wipes the previous run's log dir
   * first.
   */
  static EmbeddedKafka start(Path dir, int port, boolean fresh) throws Exception {
    return start(dir, port, fresh, FreePort::pick);
  }

  /**
   * The controller port, and the client port when {@code port} is 0, come from {@code picks}; both
   * are picked anew when another process took one before the broker bound it.
   */
  static EmbeddedKafka start(Path dir, int port, boolean fresh, IntSupplier picks)
      throws Exception {
    neverExitTheJvm();
    if (fresh) {
      DataDirectory.wipe(dir);
    }
    Files.createDirectories(dir);
    return FreePort.bind(
        "Kafka",
        picks,
        ports -> {
          EmbeddedKafka kafka = new EmbeddedKafka(dir, ports[0], ports[1], 0, null);
          kafka.writeConfigFile();
          kafka.formatIfNeeded();
          kafka.startBroker();
          return kafka;
        },
        port,
        0);
  }

  private static Properties brokerConfig(Path logDir, int port, int controllerPort) {
    String host = FreePort.LOOPBACK;
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toAbsolutePath().toString());
    props.put("num.partitions", "3");
    props.put("auto.create.topics.enable", "true");
    // one broker: every replication factor and ISR must be 1
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    // fewer internal partitions (default 50) make the first consumer group / transaction start in
    // much less time
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // broker.session.timeout.ms stays at its default (9 s): after a kill -9 with kept data, the new
    // broker waits
    // that long for the dead incarnation to expire, but a shorter one could fence the broker on a
    // busy machine
    // the log cleaner allocates this buffer at start: 128 MB by default is a lot of heap for a dev
    // broker
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    return props;
  }

  /** For StorageTool, and for a look at what the broker runs with. */
  private void writeConfigFile() throws IOException {
    try (OutputStream out = Files.newOutputStream(configFile)) {
      config.store(
          out, "Embedded Kafka, written by " + EmbeddedKafka.class.getName() + " at every start");
    }
  }

  /** The StorageTool "format" step, with a random cluster id, done once per log dir. */
  private void formatIfNeeded() {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    String[] args = {
      "format",
      "--config",
      configFile.toString(),
      "--cluster-id",
      Uuid.randomUuid().toString(),
      "--ignore-formatted"
    };
    int status = StorageTool.execute(args, new PrintStream(output, true, StandardCharsets.UTF_8));
    if (status != 0) {
      throw new IllegalStateException("Kafka storage format failed (" + status + "): " + output);
    }
    LOG.debug("Formatted {}: {}", logDir, output);
  }

  String bootstrapServers() {
    return FreePort.LOOPBACK + ":" + port;
  }

  /** Blocks until the broker answers requests; does nothing if it is running. */
  synchronized void startBroker()
      throws ExecutionException, TimeoutException, InterruptedException {
    if (server != null) {
      return;
    }
    long started = System.nanoTime();
    KafkaRaftServer starting =
        new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    try {
      starting.startup();
      awaitReady();
    } catch (RuntimeException | ExecutionException | TimeoutException | InterruptedException e) {
      shutdown(starting);
      throw e;
    }
    server = starting;
    LOG.info(
        "Embedded Kafka 3.9 (KRaft) started on {} in {} ms (log dir {})",
        bootstrapServers(),
        Millis.since(started),
        logDir);
  }

  /** Stops the broker and keeps its log dir; does nothing if it is stopped. */
  synchronized void stopBroker() {
    if (server == null) {
      return;
    }
    long started = System.nanoTime();
    shutdown(server);
    server = null;
    LOG.info("Embedded Kafka on {} stopped in {} ms", bootstrapServers(), Millis.since(started));
  }

  private static void shutdown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  /**
   * Ready = an admin client sees this broker in the cluster metadata (it is registered and
   * unfenced).
   */
  private void awaitReady() throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      while (true) {
        long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        // the admin client retries refused connections by itself until its timeout
        Collection<Node> nodes =
            admin
                .describeCluster(new DescribeClusterOptions().timeoutMs((int) remainingMs))
                .nodes()
                .get(remainingMs + 1_000, TimeUnit.MILLISECONDS);
        if (!nodes.isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "Kafka on "
                  + bootstrapServers()
                  + " has no live broker after "
                  + READY_TIMEOUT_MS
                  + " ms");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // poll interval
      }
    }
  }

  /**
   * Kafka calls Exit.exit/halt on fatal errors, which would kill the service or the test JVM with
   * no trace. An embedded broker reports them instead.
   */
  private static void neverExitTheJvm() {
    Exit.setExitProcedure(
        (status, message) ->
            LOG.error(
                "Embedded Kafka asked to exit the JVM with status {}: {} (ignored)",
                status,
                message));
    Exit.setHaltProcedure(
        (status, message) ->
            LOG.error(
                "Embedded Kafka asked to halt the JVM with status {}: {} (ignored)",
                status,
                message));
  }

  @Override
  public void close() {
    stopBroker();
  }
}
