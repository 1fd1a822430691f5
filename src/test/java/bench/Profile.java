package bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the service: which share of its CPU samples fall in a part of the code
 * (the audit, for example), and which methods are hottest, so a benchmark row says where the time
 * went.
 */
final class Profile {
  /**
   * Frames of the audit trail: our writer, the Vert.x Mongo client, the MongoDB driver and its BSON
   * codec.
   */
  static final Predicate<String> AUDIT =
      type ->
          type.startsWith("audit.")
              || type.startsWith("verticles.AuditWriter")
              || type.startsWith("com.mongodb")
              || type.startsWith("org.bson")
              || type.startsWith("io.vertx.ext.mongo");

  private final List<RecordedEvent> samples;

  private Profile(List<RecordedEvent> samples) {
    this.samples = samples;
  }

  static Profile read(Path recording) {
    try {
      return new Profile(
          RecordingFile.readAllEvents(recording).stream()
              .filter(
                  e ->
                      e.getEventType().getName().equals("jdk.ExecutionSample")
                          && e.getStackTrace() != null)
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int sampleCount() {
    return samples.size();
  }

  /** The share of samples with any frame whose class matches. */
  double share(Predicate<String> classes) {
    long matching =
        samples.stream()
            .filter(
                e -> e.getStackTrace().getFrames().stream().anyMatch(f -> classes.test(type(f))))
            .count();
    return samples.isEmpty() ? 0 : matching / (double) samples.size();
  }

  /** The {@code n} methods most often on top of the stack, with their share, for the report. */
  String hottest(int n) {
    Map<String, Long> tops = new HashMap<>();
    for (RecordedEvent e : samples) {
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (!frames.isEmpty()) {
        RecordedFrame top = frames.get(0);
        tops.merge(type(top) + "." + top.getMethod().getName(), 1L, Long::sum);
      }
    }
    return tops.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(t -> String.format("%s %.1f%%", t.getKey(), 100.0 * t.getValue() / samples.size()))
        .collect(Collectors.joining("; "));
  }

  private static String type(RecordedFrame frame) {
    return frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
  }
}
