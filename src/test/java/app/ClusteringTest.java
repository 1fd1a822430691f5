package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import contract.ConfigKeys;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * conf/cluster.xml with the config's values: TCP-IP or Kubernetes DNS, and addresses peers can
 * reach.
 */
@Tag("unit")
class ClusteringTest {
  /** The shipped defaults with some keys changed. */
  private static JsonObject config(Object... pairs) {
    JsonObject config = new JsonObject(ConfigKeys.defaults());
    for (int i = 0; i < pairs.length; i += 2) {
      config.put((String) pairs[i], pairs[i + 1]);
    }
    return config;
  }

  @Test
  void tcpMembersOnLoopbackByDefault() {
    Config hazelcast =
        Clustering.hazelcast(
            config(ConfigKeys.CLUSTER_NAME, "desk-a", ConfigKeys.CLUSTER_PORT, 6000));
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertEquals("desk-a", hazelcast.getClusterName());
    assertEquals(6000, hazelcast.getNetworkConfig().getPort());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertEquals("10", hazelcast.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("0", hazelcast.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals(
        List.of("127.0.0.1"),
        List.copyOf(hazelcast.getNetworkConfig().getInterfaces().getInterfaces()));
    assertTrue(
        hazelcast.getMultiMapConfigs().containsKey("__vertx.subs"),
        "the module's __vertx maps are kept");
  }

  @Test
  void kubernetesDnsDiscoveryReplacesTheMemberList() {
    Config hazelcast =
        Clustering.hazelcast(
            config(
                ConfigKeys.CLUSTER_DISCOVERY,
                "kubernetes",
                ConfigKeys.CLUSTER_KUBERNETES_SERVICE_DNS,
                "trade-platform-hazelcast.desk.svc.cluster.local",
                ConfigKeys.EVENTBUS_HOST,
                "0.0.0.0",
                ConfigKeys.EVENTBUS_PUBLIC_HOST,
                "10.1.2.3"));
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals(
        "trade-platform-hazelcast.desk.svc.cluster.local",
        join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("10.1.2.3", hazelcast.getNetworkConfig().getPublicAddress());
    assertFalse(hazelcast.getNetworkConfig().getInterfaces().isEnabled(), "binds every interface");
    assertThrows(
        IllegalArgumentException.class,
        () -> Clustering.hazelcast(config(ConfigKeys.CLUSTER_DISCOVERY, "kubernetes")),
        "no service DNS name");
  }

  /**
   * Dev mode, where the bus may run without certificates: only the addresses are under test here.
   */
  private static final Object[] DEV = {ConfigKeys.DEV_MODE, true};

  @Test
  void theBusNeverAdvertisesTheWildcardAddress() {
    EventBusOptions bound =
        Clustering.eventBusOptions(
            config(
                ConfigKeys.EVENTBUS_HOST,
                "0.0.0.0",
                ConfigKeys.EVENTBUS_PUBLIC_HOST,
                "10.1.2.3",
                ConfigKeys.EVENTBUS_PORT,
                5702,
                DEV[0],
                DEV[1]));
    assertEquals("0.0.0.0", bound.getHost());
    assertEquals("10.1.2.3", bound.getClusterPublicHost());
    assertEquals(5702, bound.getPort());
    assertNull(
        Clustering.eventBusOptions(config(DEV)).getClusterPublicHost(),
        "loopback dev cluster: the bind address");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Clustering.eventBusOptions(
                    config(ConfigKeys.EVENTBUS_HOST, "0.0.0.0", DEV[0], DEV[1])));
    assertTrue(
        refused.getMessage().contains(ConfigKeys.EVENTBUS_PUBLIC_HOST), refused.getMessage());
  }

  /**
   * Outside dev mode a clustered bus is mutual TLS, or the node does not start: one line names what
   * is missing.
   */
  @Test
  void outsideDevModeTheBusNeedsItsCertificates() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Clustering.eventBusOptions(
                    config(ConfigKeys.EVENTBUS_TLS_CA_PATH, "/etc/bus/ca.crt")));
    assertEquals(
        "EVENTBUS_TLS_CERT_PATH, EVENTBUS_TLS_KEY_PATH are not set: a clustered bus needs a"
            + " certificate of the cluster's CA, its key and the CA (PEM), so that no stranger can"
            + " join it (DEV_MODE=true runs without them)",
        refused.getMessage());
    EventBusOptions secured =
        Clustering.eventBusOptions(
            config(
                ConfigKeys.EVENTBUS_TLS_CERT_PATH,
                "/etc/bus/node.crt",
                ConfigKeys.EVENTBUS_TLS_KEY_PATH,
                "/etc/bus/node.key",
                ConfigKeys.EVENTBUS_TLS_CA_PATH,
                "/etc/bus/ca.crt"));
    assertTrue(secured.isSsl());
    assertEquals(io.vertx.core.http.ClientAuth.REQUIRED, secured.getClientAuth());
    assertTrue(
        !Clustering.eventBusOptions(config(DEV)).isSsl(),
        "dev mode without certificates: plain TCP");
  }
}
