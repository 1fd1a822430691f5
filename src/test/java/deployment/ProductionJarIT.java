package deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import support.ServiceJar;

/**
 * The production jar carries no development server: no Kafka broker, no PostgreSQL binaries or
 * their launcher, no MongoDB stand-in, not our glue for them nor its registration; asked for dev
 * mode, it stops with one line saying where dev mode lives.
 */
@Tag("integration")
class ProductionJarIT {
  /** Where each development server (and what only it needs) would sit in the jar. */
  private static final List<String> DEVELOPMENT_SERVERS =
      List.of(
          "kafka/server/",
          "kafka/log/",
          "kafka/tools/",
          "kafka/Kafka.class",
          "org/apache/kafka/raft/",
          "org/apache/kafka/metadata/",
          "org/apache/kafka/storage/",
          "scala/",
          "io/zonky/",
          "de/bwaldvogel/",
          "infra/embedded/",
          "META-INF/services/infra.EmbeddedServers");

  @Test
  void theJarCarriesNoDevelopmentServer() throws IOException {
    Path jar = ServiceJar.path();
    try (JarFile entries = new JarFile(jar.toFile())) {
      List<String> found =
          entries.stream()
              .map(ZipEntry::getName)
              .filter(
                  name ->
                      DEVELOPMENT_SERVERS.stream().anyMatch(name::startsWith)
                          || name.endsWith(".txz"))
              .limit(20)
              .toList();
      assertEquals(List.of(), found, "development servers in " + jar);
      assertTrue(
          entries.getEntry("app/Main.class") != null
              && entries.getEntry("org/apache/kafka/clients/") != null,
          "the service and its Kafka client are there");
      LoggerFactory.getLogger(ProductionJarIT.class)
          .info("Production jar: {} MB, {} entries", Files.size(jar) / 1_000_000, entries.size());
    }
  }

  @Test
  void askedForDevModeItStopsAndSaysWhereDevModeIs() throws Exception {
    Path log = Path.of("target", "services", "production-jar-dev-mode.log");
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServiceJar.path().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .putAll(
            java.util.Map.of(
                "DEV_MODE",
                "true",
                "HTTP_PORT",
                "0",
                "PUSH_HTTP_PORT",
                "0",
                "MANAGEMENT_PORT",
                "0"));
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar did not stop");
    assertNotEquals(0, process.exitValue());
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(
        output.contains(
            "DEV_MODE=true needs the development servers, which this jar does not carry: run "
                + "./deploy/dev.sh"),
        output);
  }
}
