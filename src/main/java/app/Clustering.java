package app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered event bus: with CLUSTER_ENABLED, Vert.x joins a Hazelcast cluster configured by
 * {@code conf/cluster.xml}, and the bus reaches every node. Without it, one JVM stays unclustered
 * and starts fast. Each node names one address that peers can reach, for both Hazelcast and the
 * bus. The bus is TLS both ways: a node presents a certificate of the cluster's CA (EVENTBUS_TLS_*)
 * and takes only peers that present one, so a stranger that reaches the bus port, or joins the
 * Hazelcast cluster, can neither deliver nor receive a message. Outside dev mode a cluster without
 * them does not start.
 */
public final class Clustering {
  private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);
  private static final String CLUSTER_XML = "conf/cluster.xml";

  /** Values of conf/cluster.xml's ${...} placeholders. */
  private static final List<String> XML_KEYS =
      List.of(
          ConfigKeys.CLUSTER_NAME,
          ConfigKeys.CLUSTER_MEMBERS,
          ConfigKeys.CLUSTER_PORT,
          ConfigKeys.CLUSTER_PORT_COUNT,
          ConfigKeys.CLUSTER_HEARTBEAT_TIMEOUT_SECONDS);

  private static final List<String> ANY_ADDRESS = List.of("0.0.0.0", "::", "[::]");

  private Clustering() {}

  public static boolean enabled(JsonObject config) {
    return config.getBoolean(ConfigKeys.CLUSTER_ENABLED);
  }

  /** A Vert.x that has joined the cluster when CLUSTER_ENABLED is set; a plain one otherwise. */
  public static Future<Vertx> build(VertxBuilder builder, VertxOptions options, JsonObject config) {
    if (!enabled(config)) {
      return Future.succeededFuture(builder.with(options).build());
    }
    long start = System.nanoTime();
    try {
      HazelcastClusterManager members = new HazelcastClusterManager(hazelcast(config));
      return builder
          .with(options.setEventBusOptions(eventBusOptions(config)))
          .withClusterManager(members)
          .buildClustered()
          .onSuccess(
              vertx ->
                  LOG.info(
                      "Joined cluster {} in {} ms as node {}: {} nodes",
                      config.getString(ConfigKeys.CLUSTER_NAME),
                      (System.nanoTime() - start) / 1_000_000,
                      members.getNodeId(),
                      members.getNodes().size()));
    } catch (RuntimeException badConfig) {
      return Future.failedFuture(badConfig);
    }
  }

  /**
   * The bus binds EVENTBUS_HOST and tells peers EVENTBUS_PUBLIC_HOST (or the bind address): a node
   * that advertises 0.0.0.0 sends every peer to itself, so that is refused here rather than failing
   * later.
   */
  static EventBusOptions eventBusOptions(JsonObject config) {
    String host = config.getString(ConfigKeys.EVENTBUS_HOST);
    String advertised = advertisedHost(config);
    EventBusOptions options =
        mutualTls(
            new EventBusOptions()
                .setHost(host)
                .setPort(config.getInteger(ConfigKeys.EVENTBUS_PORT)),
            config);
    return advertised.equals(host) ? options : options.setClusterPublicHost(advertised);
  }

  /**
   * TLS with client authentication on every bus connection, from the PEM files
   * EVENTBUS_TLS_CERT_PATH, EVENTBUS_TLS_KEY_PATH and EVENTBUS_TLS_CA_PATH (the cluster's CA, which
   * signed every node's certificate). Peers are trusted by their CA, not by name: a pod's address
   * is not known when its certificate is made.
   */
  private static EventBusOptions mutualTls(EventBusOptions options, JsonObject config) {
    List<String> keys =
        List.of(
            ConfigKeys.EVENTBUS_TLS_CERT_PATH,
            ConfigKeys.EVENTBUS_TLS_KEY_PATH,
            ConfigKeys.EVENTBUS_TLS_CA_PATH);
    List<String> missing = keys.stream().filter(key -> config.getString(key).isBlank()).toList();
    if (missing.size() == keys.size() && config.getBoolean(ConfigKeys.DEV_MODE)) {
      LOG.warn(
          "EVENT BUS: plain TCP, no TLS (dev mode without EVENTBUS_TLS_*): any process that reaches"
              + " the bus port or joins the cluster can send on it");
      return options;
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          String.join(", ", missing)
              + (missing.size() == 1 ? " is" : " are")
              + " not set: a clustered bus needs a certificate of the cluster's CA, its key and the"
              + " CA (PEM), so that no stranger can join it (DEV_MODE=true runs without them)");
    }
    return options
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(config.getString(ConfigKeys.EVENTBUS_TLS_CERT_PATH))
                .setKeyPath(config.getString(ConfigKeys.EVENTBUS_TLS_KEY_PATH)))
        .setTrustOptions(
            new PemTrustOptions().addCertPath(config.getString(ConfigKeys.EVENTBUS_TLS_CA_PATH)));
  }

  static Config hazelcast(JsonObject config) {
    Config hazelcast = fromXml(config);
    NetworkConfig network = hazelcast.getNetworkConfig();
    String host = config.getString(ConfigKeys.EVENTBUS_HOST);
    if (!ANY_ADDRESS.contains(host)) {
      network.getInterfaces().setEnabled(true).addInterface(host);
      hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    }
    String publicHost = config.getString(ConfigKeys.EVENTBUS_PUBLIC_HOST);
    if (!publicHost.isBlank()) {
      network.setPublicAddress(publicHost);
    }
    if ("kubernetes".equals(config.getString(ConfigKeys.CLUSTER_DISCOVERY))) {
      useKubernetesDns(network.getJoin(), config);
    }
    return hazelcast;
  }

  private static String advertisedHost(JsonObject config) {
    String publicHost = config.getString(ConfigKeys.EVENTBUS_PUBLIC_HOST);
    String advertised =
        publicHost.isBlank() ? config.getString(ConfigKeys.EVENTBUS_HOST) : publicHost;
    if (ANY_ADDRESS.contains(advertised)) {
      throw new IllegalArgumentException(
          ConfigKeys.EVENTBUS_HOST
              + " is "
              + advertised
              + " (every interface): set "
              + ConfigKeys.EVENTBUS_PUBLIC_HOST
              + " to this node's address that the other nodes can reach");
    }
    return advertised;
  }

  /** DNS lookups of a headless Service (with publishNotReadyAddresses) instead of a member list. */
  private static void useKubernetesDns(JoinConfig join, JsonObject config) {
    String serviceDns = config.getString(ConfigKeys.CLUSTER_KUBERNETES_SERVICE_DNS);
    if (serviceDns.isBlank()) {
      throw new IllegalArgumentException(
          ConfigKeys.CLUSTER_DISCOVERY
              + "=kubernetes needs "
              + ConfigKeys.CLUSTER_KUBERNETES_SERVICE_DNS
              + ", the headless Service's DNS name");
    }
    join.getTcpIpConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", serviceDns);
  }

  private static Config fromXml(JsonObject config) {
    Properties values = new Properties();
    XML_KEYS.forEach(key -> values.setProperty(key, String.valueOf(config.getValue(key))));
    try (InputStream xml = Clustering.class.getClassLoader().getResourceAsStream(CLUSTER_XML)) {
      if (xml == null) {
        throw new IllegalStateException(CLUSTER_XML + " is missing from the classpath");
      }
      return new XmlConfigBuilder(xml).setProperties(values).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
