package app;

import contract.ConfigKeys;
import domain.HeadSignatures;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Dev mode's ledger keys: a pair made for its data directory and kept there as long as the data is
 * (regenerated when the data is wiped, kept with EMBEDDED_KEEP_DATA), so the blocks of a kept chain
 * still verify after a restart.
 */
final class DevLedgerKeys {
  private static final String FILE = "ledger-keys";

  private DevLedgerKeys() {}

  /**
   * LEDGER_SIGNING_KEY and LEDGER_PUBLIC_KEY from {@code dir}, made there first when needed.
   * Blocking file I/O.
   */
  static JsonObject in(Path dir, boolean keptData) {
    Path file = dir.resolve(FILE);
    try {
      if (!keptData || !Files.exists(file)) {
        Files.write(file, List.of(HeadSignatures.generate()), StandardCharsets.US_ASCII);
      }
      List<String> keys = Files.readAllLines(file, StandardCharsets.US_ASCII);
      return new JsonObject()
          .put(ConfigKeys.LEDGER_SIGNING_KEY, keys.get(0))
          .put(ConfigKeys.LEDGER_PUBLIC_KEY, keys.get(1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep dev mode's ledger keys in " + file, e);
    }
  }
}
