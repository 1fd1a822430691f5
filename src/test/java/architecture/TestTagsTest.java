package architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Every test class under src/test/java says what it needs to run with exactly one tag, so that the
 * fast loop ({@code ./deploy/test.sh --fast}, the {@code unit} tag only) stays fast and a new test
 * cannot slip out of both loops or into the wrong one. A class counts as a test class when it or a
 * superclass has a {@code @Test}, {@code @ParameterizedTest} or other testable method; abstract
 * classes are checked through their subclasses.
 */
@Tag("unit")
class TestTagsTest {
  /**
   * What a test needs: nothing, the service or its servers, injected faults, several JVMs, a
   * browser, time.
   */
  static final List<String> KINDS =
      List.of("unit", "integration", "fault", "cluster", "browser", "benchmark");

  private static final Path TESTS = Path.of("src/test/java");

  @Test
  void everyTestClassCarriesExactlyOneKind() throws IOException {
    Map<String, List<String>> wrong = new TreeMap<>();
    for (Class<?> test : testClasses()) {
      List<String> kinds = kinds(test);
      if (kinds.size() != 1) {
        wrong.put(test.getName(), kinds);
      }
    }
    assertEquals(Map.of(), wrong, "each test class needs exactly one @Tag of " + KINDS);
  }

  /** Guards the check itself: it must see the classes, inherited test methods and tags included. */
  @Test
  void theCheckSeesEveryKindOfTestClass() throws IOException {
    List<String> names = testClasses().stream().map(Class::getName).toList();
    assertTrue(names.size() > 90, "test classes found: " + names.size());
    assertTrue(
        names.containsAll(
            List.of(getClass().getName(), "deployment.ComposeFileIT", "bench.BenchReport")),
        "this class, a subclass inheriting its tests and a benchmark: " + names);
    assertEquals(List.of("unit"), kinds(getClass()));
  }

  private static List<String> kinds(Class<?> test) {
    return AnnotationSupport.findRepeatableAnnotations(test, Tag.class).stream()
        .map(Tag::value)
        .filter(KINDS::contains)
        .toList();
  }

  /**
   * The concrete classes of src/test/java, nested static ones included, with a testable method of
   * their own.
   */
  private static List<Class<?>> testClasses() throws IOException {
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(TESTS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String name =
            TESTS
                .relativize(file)
                .toString()
                .replace(".java", "")
                .replace(file.getFileSystem().getSeparator(), ".");
        if (!name.endsWith("package-info")) {
          collect(load(name), found);
        }
      }
    }
    return found;
  }

  private static void collect(Class<?> type, List<Class<?>> found) {
    boolean concrete = !type.isInterface() && !Modifier.isAbstract(type.getModifiers());
    boolean topLevelOrStatic =
        type.getEnclosingClass() == null || Modifier.isStatic(type.getModifiers());
    if (concrete && topLevelOrStatic && hasTests(type)) {
      found.add(type);
    }
    for (Class<?> nested : type.getDeclaredClasses()) {
      collect(nested, found);
    }
  }

  private static boolean hasTests(Class<?> type) {
    return !ReflectionSupport.findMethods(
            type,
            method -> AnnotationSupport.isAnnotated(method, Testable.class),
            HierarchyTraversalMode.TOP_DOWN)
        .isEmpty();
  }

  /** Loads without initialising: a test class's static setup may start servers. */
  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, TestTagsTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name + " is not compiled", e);
    }
  }
}
