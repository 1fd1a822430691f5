package support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * What the build makes for operators and for dev mode, for the tests that run them as they are run.
 * {@code mvn verify} (deploy/test.sh) packages the production jar before the integration tests
 * ({@code *IT}) and writes dev mode's classpath at its start; one older than the sources would test
 * other code, and the scripts would rebuild it under the running build, so such a test stops at
 * once.
 */
public final class ServiceJar {
  private static final Path JAR = Path.of("target", "trade-platform.jar");
  private static final Path DEV_CLASSPATH = Path.of("target", "dev.classpath");

  private ServiceJar() {}

  /** The production jar. */
  public static Path path() {
    return current(JAR);
  }

  /**
   * Dev mode's classpath file (deploy/build-dev.sh's), current, so the dev scripts start without
   * compiling.
   */
  public static Path devClasspath() {
    return current(DEV_CLASSPATH);
  }

  private static Path current(Path built) {
    if (!Files.isRegularFile(built)) {
      throw new AssertionError(
          built
              + " is missing: run the integration tests through mvn verify (deploy/test.sh), "
              + "which makes it first");
    }
    FileTime builtAt = modified(built);
    try (Stream<Path> sources =
        Stream.concat(Files.walk(Path.of("src", "main")), Stream.of(Path.of("pom.xml")))) {
      sources
          .filter(Files::isRegularFile)
          .filter(ServiceJar::isSource)
          .filter(source -> modified(source).compareTo(builtAt) > 0)
          .findFirst()
          .ifPresent(
              newer -> {
                throw new AssertionError(
                    built + " is older than " + newer + ": run mvn verify (deploy/test.sh) again");
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return built.toAbsolutePath();
  }

  /**
   * The chart library npm installs under src/main/frontend during the build is an input, not a
   * source.
   */
  private static boolean isSource(Path file) {
    for (Path part : file) {
      if (part.toString().equals("node_modules")) {
        return false;
      }
    }
    return true;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
