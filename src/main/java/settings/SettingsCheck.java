package settings;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import security.ClientAddresses;

/**
 * Every setting's type and range, checked once at startup before anything starts: a bad value stops
 * the service with a message that names the key and says what it takes, instead of failing later,
 * somewhere, as a class cast or a negative timer. Values that came in as text (environment
 * variables) are converted to their type. The rule of each setting follows its declaration in
 * {@link ConfigKeys}.
 */
public final class SettingsCheck {
  /** How one setting is read: its kind of value and what values it takes. */
  private record Rule(String takes, Function<Object, Object> convert) {}

  private static final Map<String, Rule> RULES = new LinkedHashMap<>();

  static {
    ConfigKeys.declared().forEach(setting -> RULES.put(setting.key(), rule(setting)));
  }

  private SettingsCheck() {}

  /**
   * The config with every known setting checked and converted to its type; unknown keys pass
   * unchanged.
   *
   * @throws IllegalArgumentException naming the first bad key and what it takes
   */
  public static JsonObject checked(JsonObject config) {
    JsonObject checked = config.copy();
    RULES.forEach(
        (key, rule) -> {
          Object value = config.getValue(key);
          if (value == null) {
            throw new IllegalArgumentException(
                "setting "
                    + key
                    + " is missing; its default belongs in its declaration "
                    + "(contract.ConfigKeys)");
          }
          try {
            checked.put(key, rule.convert().apply(value));
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                "setting " + key + " takes " + rule.takes() + ", not '" + value + "'");
          }
        });
    return checked;
  }

  /** The keys with a rule: every documented setting. */
  public static Set<String> keys() {
    return RULES.keySet();
  }

  private static Rule rule(ConfigKeys.Setting setting) {
    return switch (setting.kind()) {
      case TEXT -> new Rule("text", SettingsCheck::text);
      case FLAG -> new Rule("true or false", SettingsCheck::flag);
      case PORT ->
          new Rule("a port from 0 to 65535 (0: any free port)", value -> inRange(value, 0, 65_535));
      case COUNT ->
          new Rule(
              "a whole number of at least " + setting.minimum(),
              value -> inRange(value, setting.minimum(), Long.MAX_VALUE));
      case NUMBER ->
          new Rule(
              "a number",
              value -> value instanceof Number n ? n : Double.parseDouble(value.toString()));
      case ONE_OF ->
          new Rule(
              "one of " + String.join(", ", setting.choices()),
              value -> oneOf(setting.choices(), value));
      case ZONE -> new Rule("a time zone id such as UTC or Europe/Stockholm", SettingsCheck::zone);
      case PROXIES ->
          new Rule("IP addresses or CIDR blocks, comma-separated", SettingsCheck::proxies);
    };
  }

  private static Object text(Object value) {
    if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
      throw new IllegalArgumentException();
    }
    return value.toString();
  }

  private static Object flag(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().strip().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException();
    };
  }

  private static Object oneOf(List<String> choices, Object value) {
    if (!choices.contains(value.toString().strip())) {
      throw new IllegalArgumentException();
    }
    return value.toString().strip();
  }

  /** Whole numbers keep the JSON type the readers expect: an int where it fits, else a long. */
  private static Object inRange(Object value, long minimum, long maximum) {
    long number =
        value instanceof Number n && !(value instanceof Double || value instanceof Float)
            ? n.longValue()
            : Long.parseLong(value.toString().strip());
    if (number < minimum || number > maximum) {
      throw new IllegalArgumentException();
    }
    return number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE
        ? (Object) (int) number
        : (Object) number;
  }

  private static Object proxies(Object value) {
    ClientAddresses.trusting(value.toString());
    return value.toString().strip();
  }

  private static Object zone(Object value) {
    try {
      ZoneId.of(value.toString().strip());
      return value.toString().strip();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
