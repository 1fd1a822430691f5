package bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One row of the benchmark table, written by a workload to {@code target/bench/<workload>.json} and
 * collected into {@code BENCHMARKS.md} by {@link BenchReport}. Figures are medians over the runs; a
 * ratio compares the workload with its baseline measured in the same run.
 *
 * @param workload what ran, for example {@code REST POST /api/v1/trades}
 * @param throughput work done per second (median); {@code unit} names the work
 * @param p50Ms latency percentiles in milliseconds (median over runs), or NaN when not measured
 * @param errors requests or messages that failed (summed over runs)
 * @param serviceCpuCores the service JVM's CPU time over the measured window divided by its length
 * @param peakRssMb the service JVM's peak resident set (VmHWM)
 * @param baseline what the ratio compares with, and its figure in the same unit
 * @param target the target, in words, and whether this run met it
 * @param runs the per-run throughputs, so the spread shows
 */
public record BenchRow(
    String workload,
    double throughput,
    String unit,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    long errors,
    double serviceCpuCores,
    double peakRssMb,
    String baseline,
    double baselineThroughput,
    double ratio,
    String target,
    boolean met,
    List<Double> runs,
    String notes) {

  static final Path DIRECTORY = Path.of("target", "bench");

  /**
   * Writes the row for {@link BenchReport}; the file name is the workload with non-word characters
   * as '-'.
   */
  public void write() {
    try {
      Files.createDirectories(DIRECTORY);
      Files.writeString(
          DIRECTORY.resolve(workload.replaceAll("\\W+", "-") + ".json"),
          JsonObject.mapFrom(this).encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BenchRow read(Path file) {
    try {
      return new JsonObject(Files.readString(file)).mapTo(BenchRow.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
