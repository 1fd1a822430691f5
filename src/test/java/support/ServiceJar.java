package support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * The jar the build packages, for the tests that run what operators run. {@code mvn verify} (deploy/test.sh)
 * packages it before the integration tests ({@code *IT}); a jar older than the sources would test other code,
 * and the scripts would rebuild it under the running build, so such a test stops at once.
 */
public final class ServiceJar {
  private static final Path JAR = Path.of("target", "trade-platform.jar");

  private ServiceJar() {}

  public static Path path() {
    if (!Files.isRegularFile(JAR)) {
      throw new AssertionError(JAR + " is missing: run the integration tests through mvn verify (deploy/test.sh), "
          + "which packages it first");
    }
    FileTime built = modified(JAR);
    try (Stream<Path> sources = Stream.concat(Files.walk(Path.of("src")), Stream.of(Path.of("pom.xml")))) {
      sources.filter(Files::isRegularFile).filter(source -> modified(source).compareTo(built) > 0).findFirst()
          .ifPresent(newer -> {
            throw new AssertionError(JAR + " is older than " + newer + ": run mvn verify (deploy/test.sh) again");
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return JAR.toAbsolutePath();
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
