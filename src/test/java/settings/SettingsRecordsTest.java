package settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each verticle reads its settings through one immutable record, built at start from the checked
 * config. The verticles, the routes and the push server read no config value themselves: the config
 * they hold is handed to the client factories (PostgreSQL, MongoDB, Redis, Kafka, TLS, tokens)
 * only.
 */
@Tag("unit")
class SettingsRecordsTest {
  private static final List<Class<?>> RECORDS =
      List.of(
          ApiSettings.class,
          AuditSettings.class,
          ConsumerSettings.class,
          ExpirySettings.class,
          FinPulseSettings.class,
          LedgerSettings.class,
          ManagementSettings.class,
          OutboxSettings.class,
          PortfolioSettings.class,
          PriceSettings.class,
          QuotePushSettings.class,
          RecordSettings.class,
          RetentionSettings.class,
          SimulatorSettings.class,
          WebSocketSettings.class);
  private static final List<Path> READ_NO_CONFIG =
      List.of(
          Path.of("src/main/java/verticles"),
          Path.of("src/main/java/http"),
          Path.of("src/main/java/push"));

  /**
   * A value read from a config object: config().getLong(…), config.getString(…),
   * clients.getInteger(…).
   */
  private static final Pattern CONFIG_READ =
      Pattern.compile("\\b(config\\(\\)|config|clients)\\.get\\w*\\(");

  /**
   * The defaults, checked, as a verticle deployed without Bootstrap sees them: QUOTE_SIMULATOR
   * still "auto".
   */
  private static JsonObject checked(JsonObject overrides) throws IOException {
    JsonObject config = new JsonObject(ConfigKeys.defaults());
    return SettingsCheck.checked(config.mergeIn(overrides));
  }

  /**
   * The defaults as a running service sees them: checked, and QUOTE_SIMULATOR resolved by
   * Bootstrap.
   */
  private static JsonObject running(JsonObject overrides) throws IOException {
    return checked(overrides).put(ConfigKeys.QUOTE_SIMULATOR, true);
  }

  @Test
  void everyRecordIsBuiltFromTheDefaultsWithEveryFieldSet() throws Exception {
    for (JsonObject config : List.of(checked(new JsonObject()), running(new JsonObject()))) {
      for (Class<?> type : RECORDS) {
        Method from = type.getMethod("from", JsonObject.class);
        assertAllSet(type.getSimpleName(), from.invoke(null, config));
      }
      assertAllSet("IngestSettings", IngestSettings.from(config, ConfigKeys.EVENTS_GROUP_ID));
    }
    assertEquals(
        false, SimulatorSettings.from(checked(new JsonObject())).on(), "auto, unresolved: off");
    assertEquals(true, ApiSettings.from(running(new JsonObject())).quotes().simulatorOn());
  }

  @Test
  void recordsCarryTheCheckedTypedValues() throws IOException {
    // as environment variables arrive: text, converted once by the check
    JsonObject config =
        running(
            new JsonObject()
                .put(ConfigKeys.OUTBOX_BATCH_SIZE, "7")
                .put(ConfigKeys.SHUTDOWN_DEADLINE_MS, "20000")
                .put(ConfigKeys.RECORDS_ALERT_THRESHOLD, "1250.50")
                .put(ConfigKeys.FINPULSE_PAGE_SIZE_MAX, "333")
                .put(ConfigKeys.RECORDS_GROUP_ID, "records-blue"));
    assertEquals(7, OutboxSettings.from(config).batchSize());
    assertEquals(
        5_000L,
        ConsumerSettings.from(config).shutdownDrainMs(),
        "a quarter of the shutdown deadline");
    assertEquals(5_000L, ApiSettings.from(config).shutdownDrainMs());
    assertEquals(
        0,
        new java.math.BigDecimal("1250.50")
            .compareTo(RecordSettings.from(config).alertThreshold()));
    assertEquals(333, ApiSettings.from(config).resources().maxSize());
    assertEquals(
        "records-blue", IngestSettings.from(config, ConfigKeys.RECORDS_GROUP_ID).groupId());
  }

  @Test
  void verticlesRoutesAndPushReadNoConfigValueThemselves() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path root : READ_NO_CONFIG) {
      try (var files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher read = CONFIG_READ.matcher(Files.readString(file));
          while (read.find()) {
            offenders.add(file + ": " + read.group());
          }
        }
      }
    }
    assertEquals(List.of(), offenders, "config values read outside a settings record");
  }

  private static void assertAllSet(String where, Object record) throws Exception {
    assertNotNull(record, where);
    if (!record.getClass().isRecord()) {
      return;
    }
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      assertAllSet(where + "." + component.getName(), component.getAccessor().invoke(record));
    }
  }
}
