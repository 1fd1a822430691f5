package bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Collects the rows the workloads wrote to {@code target/bench/} into one table, prints it, and
 * puts it into {@code BENCHMARKS.md} between its generated-section markers, with the date, the
 * machine and the commit. The rest of that file (what each change bought, the profiles' answers) is
 * written by hand.
 */
@Tag("benchmark")
class BenchReport {
  private static final Path REPORT = Path.of("BENCHMARKS.md");
  private static final String BEGIN = "<!-- bench:begin (deploy/bench.sh writes this section) -->";
  private static final String END = "<!-- bench:end -->";

  @Test
  void writeReport() throws IOException {
    List<BenchRow> rows = rows();
    String table = header() + table(rows);
    Bench.progress("\n" + table);
    String current =
        Files.exists(REPORT)
            ? Files.readString(REPORT)
            : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
    int begin = current.indexOf(BEGIN);
    int end = current.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(REPORT + " lacks the markers " + BEGIN + " … " + END);
    }
    Files.writeString(
        REPORT,
        current.substring(0, begin + BEGIN.length()) + "\n" + table + current.substring(end));
  }

  private static List<BenchRow> rows() throws IOException {
    if (!Files.isDirectory(BenchRow.DIRECTORY)) {
      throw new IllegalStateException(
          "no benchmark results in " + BenchRow.DIRECTORY + "; run deploy/bench.sh");
    }
    try (Stream<Path> files = Files.list(BenchRow.DIRECTORY)) {
      return files
          .filter(f -> f.toString().endsWith(".json"))
          .map(BenchRow::read)
          .sorted(Comparator.comparing(BenchRow::workload))
          .toList();
    }
  }

  private static String header() {
    return "Run on "
        + LocalDate.now()
        + ", commit `"
        + command("git", "rev-parse", "--short", "HEAD").strip()
        + "`, "
        + machine()
        + ". Medians of "
        + Bench.RUNS
        + " runs; PostgreSQL 15 durable (fsync and synchronous_commit on); "
        + "load generators, servers and service on the same box (127.0.0.1).\n\n";
  }

  private static String table(List<BenchRow> rows) {
    StringBuilder table =
        new StringBuilder(
            "| workload | result | p50 / p95 / p99 ms | errors | service CPU | peak RSS | baseline"
                + " (same run) | ratio | target | met |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    List<String> notes = new ArrayList<>();
    for (BenchRow r : rows) {
      table.append(
          String.format(
              "| %s | %s %s | %s | %d | %s | %s | %s | %s | %s | %s |%n",
              r.workload(),
              number(r.throughput()),
              r.unit(),
              latencies(r),
              r.errors(),
              figure(r.serviceCpuCores(), "%.2f cores"),
              figure(r.peakRssMb(), "%.0f MB"),
              Double.isNaN(r.baselineThroughput())
                  ? "—"
                  : r.baseline() + ": " + number(r.baselineThroughput()),
              figure(r.ratio(), "%.2f×"),
              r.target(),
              r.met() ? "**met**" : "missed"));
      notes.add(
          "- **"
              + r.workload()
              + "**: "
              + r.notes()
              + (r.runs().isEmpty()
                  ? ""
                  : "; runs " + r.runs().stream().map(BenchReport::number).toList()));
    }
    return table + "\n" + String.join("\n", notes) + "\n";
  }

  private static String latencies(BenchRow r) {
    return Double.isNaN(r.p99Ms())
        ? "—"
        : String.format("%.1f / %.1f / %.1f", r.p50Ms(), r.p95Ms(), r.p99Ms());
  }

  private static String number(double value) {
    return String.format("%,.0f", value);
  }

  private static String figure(double value, String format) {
    return Double.isNaN(value) ? "—" : String.format(format, value);
  }

  private static String machine() {
    try {
      String model =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .orElse("unknown CPU");
      long memKb =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal"))
              .findFirst()
              .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
              .orElse(0L);
      return Runtime.getRuntime().availableProcessors()
          + " cores ("
          + model
          + "), "
          + memKb / 1024 / 1024
          + " GiB";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String command(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      return new String(process.getInputStream().readAllBytes());
    } catch (IOException e) {
      return "unknown";
    }
  }
}
