package settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/configuration.md against the declarations ({@link ConfigKeys}): every
 * declared setting has a row, every row names declared settings, and each row's default is the
 * declared one. A row may name several keys ({@code `A` / `B`}, a key starting with {@code _}
 * continuing the one before it), with one default each or one for all; "blank" is the empty
 * default.
 */
@Tag("unit")
class ConfigurationDocsTest {
  private static final Path DOC = Path.of("docs/configuration.md");
  private static final Pattern ROW =
      Pattern.compile("^\\| (`[A-Z_][A-Z0-9_]*`(?: / `[A-Z_][A-Z0-9_]*`)*) \\| ([^|]*) \\|");
  private static final Pattern KEY = Pattern.compile("`([A-Z_][A-Z0-9_]*)`");

  @Test
  void theTableListsEveryDeclaredSettingWithItsDefault() throws IOException {
    Map<String, String> documented = documentedDefaults();
    List<String> problems = new ArrayList<>();
    for (ConfigKeys.Setting setting : ConfigKeys.declared()) {
      String shown = documented.remove(setting.key());
      if (setting.key().equals(ConfigKeys.CONFIG_FILE)) {
        continue; // named in the text above the table: it points at the file, it is not read from
        // one
      }
      if (shown == null) {
        problems.add(setting.key() + ": no row in " + DOC);
      } else if (!shown.equals(String.valueOf(setting.defaultValue()))) {
        problems.add(
            setting.key()
                + ": the row says '"
                + shown
                + "', the declaration "
                + setting.defaultValue());
      }
    }
    documented.keySet().forEach(key -> problems.add(key + ": a row for a setting nobody declares"));
    assertEquals(List.of(), problems, "docs/configuration.md and contract.ConfigKeys disagree");
  }

  /** Each documented key with the default its row shows, "" for blank. */
  private static Map<String, String> documentedDefaults() throws IOException {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DOC)) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        List<String> keys = keys(row.group(1));
        String[] shown = row.group(2).strip().split(" / ");
        for (int i = 0; i < keys.size(); i++) {
          defaults.put(keys.get(i), value(shown.length == keys.size() ? shown[i] : shown[0]));
        }
      }
    }
    return defaults;
  }

  private static List<String> keys(String cell) {
    List<String> keys = new ArrayList<>();
    Matcher key = KEY.matcher(cell);
    while (key.find()) {
      String name = key.group(1);
      if (name.startsWith("_")) { // `EVENTBUS_TLS_CERT_PATH` / `_KEY_PATH`: the previous key's stem
        String previous = keys.get(keys.size() - 1);
        int stem = previous.lastIndexOf('_', previous.lastIndexOf('_') - 1);
        name = previous.substring(0, stem) + name;
      }
      keys.add(name);
    }
    return keys;
  }

  private static String value(String shown) {
    String text = shown.strip();
    if (text.startsWith("blank") || text.equals("none")) {
      return "";
    }
    return text.startsWith("`") ? text.substring(1, text.indexOf('`', 1)) : text;
  }
}
