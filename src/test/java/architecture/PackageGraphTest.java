package architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The package graph of src/main/java, read from the import lines: it has no cycles, the names
 * shared across packages sit in a leaf package, the stores know SQL (not the event bus, Redis or
 * MongoDB), verticles/ holds verticles only, and Vert.x internals stay behind one adapter.
 */
@Tag("unit")
class PackageGraphTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([a-z]\\w*)\\.([A-Z]\\w*)", Pattern.MULTILINE);
  private static final Pattern OTHER_CLIENTS =
      Pattern.compile(
          "^import (io\\.vertx\\.redis|io\\.vertx\\.ext\\.mongo|com\\.mongodb)\\.",
          Pattern.MULTILINE);
  private static final Pattern INTERNAL =
      Pattern.compile("^import (static )?[\\w.]*\\.(impl|internal)\\.", Pattern.MULTILINE);
  private static final Pattern EVENT_BUS =
      Pattern.compile("^import io\\.vertx\\.core\\.eventbus\\.", Pattern.MULTILINE);

  private static Set<String> ours;
  private static Map<String, Set<String>> graph;

  @BeforeAll
  static void readImports() throws IOException {
    ours = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      dirs.filter(Files::isDirectory).forEach(dir -> ours.add(dir.getFileName().toString()));
    }
    graph = new TreeMap<>();
    for (String pkg : ours) {
      Set<String> targets = new TreeSet<>();
      for (String source : sources(pkg)) {
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
          if (isOurs(m.group(1), m.group(2)) && !m.group(1).equals(pkg)) {
            targets.add(m.group(1));
          }
        }
      }
      graph.put(pkg, targets);
    }
  }

  @Test
  void everyPackageIsRead() {
    assertTrue(
        ours.containsAll(
            List.of("app", "codec", "contract", "domain", "http", "store", "verticles")),
        "packages read: " + ours);
  }

  @Test
  void theGraphHasNoCycles() {
    List<String> cycle = findCycle();
    assertTrue(
        cycle.isEmpty(),
        "package cycle: " + String.join(" -> ", cycle) + "\nwhole graph: " + graph);
  }

  @Test
  void sharedNamesSitInALeafPackage() {
    assertEquals(Set.of(), graph.get("contract"), "contract imports nothing of ours");
  }

  @Test
  void nothingImportsTheEntryPoint() {
    graph.forEach((pkg, targets) -> assertTrue(!targets.contains("app"), pkg + " imports app"));
  }

  @Test
  void storesKnowSqlNotTheEventBus() throws IOException {
    for (String source : sources("store")) {
      assertTrue(
          !EVENT_BUS.matcher(source).find(),
          "a store imports the event bus:\n" + source.lines().limit(3).toList());
    }
  }

  @Test
  void verticlesHoldsVerticlesOnly() throws Exception {
    List<String> others = new ArrayList<>();
    try (Stream<Path> files = Files.list(SOURCES.resolve("verticles"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String name = "verticles." + file.getFileName().toString().replace(".java", "");
        if (!VerticleBase.class.isAssignableFrom(
            Class.forName(name, false, getClass().getClassLoader()))) {
          others.add(name);
        }
      }
    }
    assertEquals(
        List.of(),
        others,
        "verticles/ holds VerticleBase subclasses only; move these to a package named "
            + "for what they are");
  }

  @Test
  void storesHoldSqlNotCachesOrMongo() throws IOException {
    for (String source : sources("store")) {
      assertTrue(
          !OTHER_CLIENTS.matcher(source).find(),
          "a store imports a Redis or MongoDB client:\n" + source.lines().limit(3).toList());
    }
  }

  /**
   * Vert.x classes outside their public API ({@code .impl.}, {@code .internal.}) are used in one
   * adapter only, {@code internals.VertxInternals}, whose own test breaks on an upgrade.
   */
  @Test
  void vertxInternalsStayBehindTheOneAdapter() throws IOException {
    List<String> users = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (!file.startsWith(SOURCES.resolve("internals"))
            && INTERNAL.matcher(Files.readString(file)).find()) {
          users.add(SOURCES.relativize(file).toString());
        }
      }
    }
    assertEquals(
        List.of(), users, "files importing a .impl. or .internal. package outside internals/");
  }

  /** A class of ours, not of a library package that happens to share a name with one of ours. */
  private static boolean isOurs(String pkg, String type) {
    return ours.contains(pkg) && Files.exists(SOURCES.resolve(pkg).resolve(type + ".java"));
  }

  private static List<String> sources(String pkg) throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        texts.add(Files.readString(file));
      }
    }
    return texts;
  }

  /**
   * Depth-first search; the packages on the stack when an edge returns to one of them form the
   * cycle.
   */
  private static List<String> findCycle() {
    Set<String> done = new TreeSet<>();
    for (String start : graph.keySet()) {
      List<String> cycle = visit(start, new ArrayDeque<>(), done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(String pkg, Deque<String> path, Set<String> done) {
    if (path.contains(pkg)) {
      List<String> onPath = new ArrayList<>(path);
      List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(pkg), onPath.size()));
      cycle.add(pkg);
      return cycle;
    }
    if (!done.add(pkg)) {
      return List.of();
    }
    path.addLast(pkg);
    for (String next : graph.get(pkg)) {
      List<String> cycle = visit(next, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.removeLast();
    return List.of();
  }
}
