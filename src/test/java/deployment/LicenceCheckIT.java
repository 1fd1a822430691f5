package deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The build's licence check (license-maven-plugin in pom.xml, run at every build) refuses a runtime
 * dependency licensed only under the GPL: a copy of the build with one such library added fails,
 * naming the licence and the library, while the same copy without it passes.
 */
@Tag("integration")
class LicenceCheckIT {
  private static final Path WORK = Path.of("target", "licence-check").toAbsolutePath();
  private static final String GROUP = "trade-platform-fixtures";
  private static final String FIXTURE = "gpl-library";

  @AfterAll
  static void forgetTheFixture() throws IOException {
    // Maven copied it into the local repository while resolving; it is this test's own artefact
    deleteTree(Path.of(System.getProperty("user.home"), ".m2", "repository", GROUP));
  }

  @Test
  void theBuildPassesAsItIs() throws Exception {
    Build build = check("as-is", Files.readString(Path.of("pom.xml")));
    assertEquals(0, build.exitCode(), build.output());
  }

  @Test
  void aGplDependencyFailsTheBuild() throws Exception {
    Build build = check("with-gpl", withGplDependency(Files.readString(Path.of("pom.xml"))));
    assertNotEquals(0, build.exitCode(), build.output());
    assertTrue(build.output().contains("forbidden licenses"), build.output());
    assertTrue(build.output().contains("License: 'GPL' used by 1 dependencies"), build.output());
    assertTrue(build.output().contains(FIXTURE), build.output());
  }

  private record Build(int exitCode, String output) {}

  /** Runs the licence check alone on a copy of the build with this POM. */
  private static Build check(String name, String pom) throws Exception {
    Path project = WORK.resolve(name);
    deleteTree(project);
    Files.createDirectories(project);
    Files.writeString(project.resolve("pom.xml"), pom);
    Path log = WORK.resolve(name + ".log");
    Process maven =
        new ProcessBuilder("mvn", "-B", "-nsu", "license:add-third-party")
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(maven.waitFor(5, TimeUnit.MINUTES), "the licence check did not finish");
    return new Build(maven.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /**
   * The POM with a repository holding the GPL fixture (its POM and an empty jar), and a dependency
   * on it.
   */
  private static String withGplDependency(String pom) throws IOException {
    Path version = WORK.resolve("repo").resolve(GROUP).resolve(FIXTURE).resolve("1.0");
    Files.createDirectories(version);
    try (var fixture = LicenceCheckIT.class.getResourceAsStream("/licences/gpl-library-1.0.pom")) {
      Files.write(version.resolve(FIXTURE + "-1.0.pom"), fixture.readAllBytes());
    }
    try (OutputStream jar =
        new JarOutputStream(Files.newOutputStream(version.resolve(FIXTURE + "-1.0.jar")))) {
      jar.flush();
    }
    int dependencies = pom.indexOf("<dependencies>", pom.indexOf("</dependencyManagement>"));
    return pom.substring(0, dependencies)
        + "<repositories><repository><id>fixtures</id><url>"
        + WORK.resolve("repo").toUri()
        + "</url></repository></repositories>\n  <dependencies>\n    <dependency><groupId>"
        + GROUP
        + "</groupId><artifactId>"
        + FIXTURE
        + "</artifactId><version>1.0</version></dependency>"
        + pom.substring(dependencies + "<dependencies>".length());
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
