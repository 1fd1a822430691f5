package support;

import contract.ConfigKeys;
import infra.EmbeddedInfrastructure;
import infra.Infrastructure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import settings.SettingsCheck;

/**
 * One shared set of servers per test JVM: Docker containers when a Docker engine is available, else the
 * embedded servers. {@code -Dtest.infra=embedded} or {@code =containers} forces one of them;
 * {@code -Dtest.pg.durable=true} runs the embedded PostgreSQL with fsync on (benchmarks do).
 */
public final class TestInfra {
  private static final Logger LOG = LoggerFactory.getLogger(TestInfra.class);
  private static Infrastructure infrastructure;

  private TestInfra() {
  }

  public static synchronized Infrastructure get() {
    if (infrastructure == null) {
      Infrastructure started = useContainers()
          ? ContainerInfrastructure.start()
          : EmbeddedInfrastructure.startMissing(new JsonObject().put("EMBEDDED_DATA_DIR", "target/embedded-test")
              .put(EmbeddedInfrastructure.EMBEDDED_PG_DURABLE, Boolean.getBoolean("test.pg.durable")));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-infra-close"));
      infrastructure = started;
    }
    return infrastructure;
  }

  /**
   * Every setting as the service would load it (conf/config.json's defaults, checked) with the test servers'
   * connection settings and security off, for a test to add its own keys to; clients built from it find every key
   * they read.
   */
  public static JsonObject config() {
    return SettingsCheck.checked(defaults().mergeIn(connections()).mergeIn(securityOff()));
  }

  /** Only the test servers' connection settings: what a service JVM of a test is started with. */
  public static JsonObject connections() {
    return get().connectionConfig().copy();
  }

  private static JsonObject defaults() {
    try (var in = TestInfra.class.getClassLoader().getResourceAsStream("conf/config.json")) {
      return new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Auth and the rate limit are off in tests unless a test turns them on: most tests are about something else,
   * and the security tests set them themselves.
   */
  public static JsonObject securityOff() {
    return new JsonObject().put(ConfigKeys.AUTH_ENABLED, false).put(ConfigKeys.RATE_LIMIT_ENABLED, false);
  }

  private static boolean useContainers() {
    String choice = System.getProperty("test.infra", "auto");
    boolean containers = switch (choice) {
      case "embedded" -> false;
      case "containers" -> true;
      default -> DockerClientFactory.instance().isDockerAvailable();
    };
    LOG.info("Test infrastructure: {} (test.infra={})", containers ? "Docker containers" : "embedded servers", choice);
    return containers;
  }
}
