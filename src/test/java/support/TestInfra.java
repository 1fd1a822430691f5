package support;

import app.Main;
import contract.ConfigKeys;
import domain.HeadSignatures;
import infra.Infrastructure;
import infra.embedded.EmbeddedInfrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import security.Tokens;
import settings.SettingsCheck;

/**
 * One shared set of servers per test JVM: Docker containers when a Docker engine is available, else
 * the embedded servers. {@code -Dtest.infra=embedded} or {@code =containers} forces one of them;
 * {@code -Dtest.pg.durable=true} runs the embedded PostgreSQL with fsync on (benchmarks do).
 */
public final class TestInfra {
  private static final Logger LOG = LoggerFactory.getLogger(TestInfra.class);

  /** The scopes of an operator's token: every one the service checks. */
  public static final String OPERATOR_SCOPES = Tokens.ALL_SCOPES;

  /** The HMAC secret of this test JVM's tokens: random, so no test leans on a known one. */
  private static final String TOKEN_SECRET = Tokens.randomSecret();

  /** The ledger's signing and public keys for this test JVM's services. */
  private static final String[] LEDGER_KEYS = HeadSignatures.generate();

  /** Long enough for the longest test class (a cluster run at full scale). */
  static final int TOKEN_MINUTES = 120;

  private static Infrastructure infrastructure;
  private static ClusterCertificates clusterCertificates;

  private TestInfra() {}

  public static synchronized Infrastructure get() {
    if (infrastructure == null) {
      Infrastructure started =
          useContainers()
              ? ContainerInfrastructure.start()
              : EmbeddedInfrastructure.startMissing(
                  new JsonObject()
                      .put("EMBEDDED_DATA_DIR", "target/embedded-test")
                      .put(
                          EmbeddedInfrastructure.EMBEDDED_PG_DURABLE,
                          Boolean.getBoolean("test.pg.durable")));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-infra-close"));
      infrastructure = started;
    }
    return infrastructure;
  }

  /**
   * Every setting as the service ships it (the declared defaults of contract.ConfigKeys, checked:
   * auth and the rate limit on) with the test servers' connection settings and the tests' signing
   * secret, for a test to add its own keys to; clients built from it find every key they read.
   */
  public static JsonObject config() {
    return SettingsCheck.checked(defaults().mergeIn(serviceSettings()));
  }

  /**
   * What a service JVM of a test is started with: the test servers' connection settings, the secret
   * its tokens are signed with, the ledger's keys and the cluster's certificates. Everything else
   * is the shipped default.
   */
  public static JsonObject serviceSettings() {
    return get()
        .connectionConfig()
        .copy()
        .put(ConfigKeys.AUTH_JWT_SECRET, TOKEN_SECRET)
        .put(ConfigKeys.LEDGER_SIGNING_KEY, LEDGER_KEYS[0])
        .put(ConfigKeys.LEDGER_PUBLIC_KEY, LEDGER_KEYS[1])
        .mergeIn(clusterCertificates().settings());
  }

  /** The CA of this test JVM's clusters, and one certificate of it every node presents. */
  private static synchronized ClusterCertificates clusterCertificates() {
    if (clusterCertificates == null) {
      clusterCertificates = ClusterCertificates.create("tests");
    }
    return clusterCertificates;
  }

  /** A Vert.x as the service builds its own (app.Main), with Micrometer metrics; not clustered. */
  public static Vertx vertxWithMetrics() {
    return Await.result(Main.vertx(new JsonObject().put(ConfigKeys.CLUSTER_ENABLED, false)));
  }

  /**
   * A client that sends an operator's bearer token (every scope), signed with the tests' secret,
   * with each request: for service JVMs started by a test ({@link ServiceProcess}).
   */
  public static WebClient operatorClient(Vertx vertx) {
    return withToken(ApiClients.webClient(vertx), bearer(vertx, "test-operator", OPERATOR_SCOPES));
  }

  /**
   * {@code client}, sending {@code bearer} as its Authorization header. A request that needs
   * another token goes through a client without one: a second Authorization header would be added,
   * not replace this one. A checked client ({@link ApiClients}) stays checked.
   */
  public static WebClient withToken(WebClient client, String bearer) {
    return ApiClients.withHeader(client, "Authorization", bearer);
  }

  /**
   * Where a WebSocket client connects on 127.0.0.1, with an operator's bearer token: reads need one
   * outside dev mode, as the service ships.
   */
  public static WebSocketConnectOptions socketWithToken(Vertx vertx, int port, String uri) {
    return new WebSocketConnectOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI(uri)
        .addHeader("Authorization", bearer(vertx, "test-operator", OPERATOR_SCOPES));
  }

  /**
   * A bearer token signed with the tests' secret, as an identity provider would issue it, for the
   * {@code Authorization} header: {@code "Bearer …"}.
   */
  public static String bearer(Vertx vertx, String subject, String scopes) {
    return "Bearer " + Tokens.sign(vertx, config(), subject, scopes, TOKEN_MINUTES);
  }

  private static JsonObject defaults() {
    return new JsonObject(contract.ConfigKeys.defaults());
  }

  private static boolean useContainers() {
    String choice = System.getProperty("test.infra", "auto");
    boolean containers =
        switch (choice) {
          case "embedded" -> false;
          case "containers" -> true;
          default -> DockerClientFactory.instance().isDockerAvailable();
        };
    LOG.info(
        "Test infrastructure: {} (test.infra={})",
        containers ? "Docker containers" : "embedded servers",
        choice);
    return containers;
  }
}
