package settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.ConfigLoader;
import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;

/**
 * Every setting is declared once with its rule and default; a bad value stops loading with its key
 * named.
 */
@Tag("unit")
class SettingsCheckTest {
  private static JsonObject defaults() {
    return new JsonObject(ConfigKeys.defaults());
  }

  @Test
  void everyKeyConstantIsDeclaredAndItsDefaultPassesItsRule() {
    Set<String> keys =
        Arrays.stream(ConfigKeys.class.getFields())
            .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
            .map(
                f -> {
                  try {
                    return (String) f.get(null);
                  } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        keys,
        new TreeSet<>(SettingsCheck.keys()),
        "every key constant is a declared setting with a rule");
    assertEquals(
        defaults(),
        SettingsCheck.checked(defaults()),
        "every default passes its own rule unchanged");
  }

  /** Defaults live in the declarations only: no call site repeats one beside its key. */
  @Test
  void noCallSiteRepeatsADefault() throws IOException {
    java.util.regex.Pattern withDefault =
        java.util.regex.Pattern.compile(
            "\\.get(Integer|Long|String|Boolean|Double|Value)\\(ConfigKeys\\.[A-Z_]+, ");
    List<String> offenders = new java.util.ArrayList<>();
    try (var files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (withDefault.matcher(Files.readString(file)).find()) {
          offenders.add(file.toString());
        }
      }
    }
    assertEquals(List.of(), offenders, "config reads with a default of their own");
  }

  @Test
  void textFromTheEnvironmentBecomesItsType() throws IOException {
    JsonObject checked =
        SettingsCheck.checked(
            defaults()
                .put(ConfigKeys.HTTP_PORT, "8443")
                .put(ConfigKeys.AUTH_ENABLED, "FALSE")
                .put(ConfigKeys.OUTBOX_RETENTION_MS, "86400000000"));
    assertEquals(8443, checked.getInteger(ConfigKeys.HTTP_PORT));
    assertEquals(false, checked.getBoolean(ConfigKeys.AUTH_ENABLED));
    assertEquals(86_400_000_000L, checked.getLong(ConfigKeys.OUTBOX_RETENTION_MS));
  }

  @Test
  void aBadValueNamesItsKeyAndWhatItTakes() throws IOException {
    assertRefused(ConfigKeys.HTTP_PORT, "http", "a port from 0 to 65535");
    assertRefused(ConfigKeys.HTTP_PORT, 70000, "a port from 0 to 65535");
    assertRefused(ConfigKeys.AUDIT_BATCH_SIZE, 0, "a whole number of at least 1");
    assertRefused(ConfigKeys.AUTH_READS, "sometimes", "one of auto, open, token");
    assertRefused(ConfigKeys.TRADES_ZONE, "Mars/Olympus", "a time zone id");
    assertRefused(ConfigKeys.CLUSTER_ENABLED, "yes", "true or false");
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SettingsCheck.checked(
                    defaults().copy().put(ConfigKeys.PG_POOL_SIZE, (Object) null)));
    assertTrue(missing.getMessage().contains(ConfigKeys.PG_POOL_SIZE), missing.getMessage());
  }

  @Test
  void loadingTheConfigStopsAtABadValue() {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable failure =
          Await.result(
              ConfigLoader.load(vertx, new JsonObject().put(ConfigKeys.WS_MAX_SYMBOLS, "lots"))
                  .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())));
      assertTrue(
          failure != null && failure.getMessage().contains("WS_MAX_SYMBOLS"),
          String.valueOf(failure));
    } finally {
      Await.result(vertx.close());
    }
  }

  private static void assertRefused(String key, Object value, String takes) throws IOException {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> SettingsCheck.checked(defaults().put(key, value)));
    assertTrue(
        refused.getMessage().contains(key) && refused.getMessage().contains(takes),
        refused.getMessage());
  }
}
