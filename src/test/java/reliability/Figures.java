package reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one fault scenario measured: printed to the log and appended as a Markdown table row to
 * {@code target/reliability-figures.md}, so that a run leaves the figures docs/reliability.md
 * quotes. A count of -1 means "not applicable to this scenario" and prints as a dash.
 */
public final class Figures {
  private static final Logger LOG = LoggerFactory.getLogger(Figures.class);
  static final Path REPORT = Path.of("target", "reliability-figures.md");

  private final String scenario;
  private long sent = -1;
  private long stored = -1;
  private long duplicates = -1;
  private long lost = -1;
  private long deadLettered = -1;
  private Duration recovery;
  private String note = "";

  private Figures(String scenario) {
    this.scenario = scenario;
  }

  public static Figures of(String scenario) {
    return new Figures(scenario);
  }

  public Figures sent(long n) {
    sent = n;
    return this;
  }

  public Figures stored(long n) {
    stored = n;
    return this;
  }

  public Figures duplicates(long n) {
    duplicates = n;
    return this;
  }

  public Figures lost(long n) {
    lost = n;
    return this;
  }

  public Figures deadLettered(long n) {
    deadLettered = n;
    return this;
  }

  /**
   * From the end of the fault (server back, process restarted) until the system caught up again.
   */
  public Figures recovery(Duration d) {
    recovery = d;
    return this;
  }

  public Figures note(String text) {
    note = text;
    return this;
  }

  /** Logs the figures and appends them to the report; call once the scenario's checks have run. */
  public void report() {
    String row =
        String.format(
            "| %s | %s | %s | %s | %s | %s | %s | %s | %s |",
            scenario,
            Scale.name(),
            count(sent),
            count(stored),
            count(duplicates),
            count(lost),
            count(deadLettered),
            recovery == null ? "—" : recovery.toMillis() + " ms",
            note);
    LOG.info("RELIABILITY {}", row);
    append(row);
  }

  private static String count(long n) {
    return n < 0 ? "—" : String.format("%,d", n);
  }

  private static synchronized void append(String row) {
    try {
      Files.createDirectories(REPORT.getParent());
      if (!Files.exists(REPORT)) {
        Files.writeString(
            REPORT,
            "Reliability run of "
                + Instant.now()
                + "\n\n"
                + "| scenario | scale | sent | stored | duplicates | lost | dead-lettered |"
                + " recovery | note |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
            StandardCharsets.UTF_8);
      }
      Files.writeString(REPORT, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
