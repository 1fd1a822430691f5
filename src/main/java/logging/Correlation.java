package logging;

import internals.VertxInternals;
import java.util.Map;

/**
 * The correlation id of the work at hand, for every log line about it. It lives in the Vert.x
 * context's local data: each HTTP request and each event-bus message runs on a duplicated context
 * of its own, so the id set where the work enters (the HTTP edge, a bus handler, a Kafka record)
 * follows it through every callback of that work, across threads, where a thread-local MDC would
 * not. Code that handles many items at once (a coalesced batch, a run of Kafka records) names the
 * item's id for one statement with {@link #log}. {@link CorrelationTurboFilter} hands the id to
 * Logback as the MDC key {@value #KEY}, so the text pattern and the JSON encoder both show it as a
 * field.
 */
public final class Correlation {
  public static final String KEY = "correlation_id";
  private static final ThreadLocal<String> FOR_ONE_STATEMENT = new ThreadLocal<>();

  private Correlation() {}

  /**
   * Makes {@code id} the correlation id of the current work, when it runs on a duplicated context
   * (an HTTP request, a bus message). On a shared event-loop context it does nothing: the id would
   * leak into unrelated work.
   */
  public static void enter(String id) {
    Map<Object, Object> requestData = VertxInternals.requestData();
    if (id != null && requestData != null) {
      requestData.put(KEY, id);
    }
  }

  /** Runs one logging statement (or a few) with {@code id} as their correlation id. */
  public static void log(String id, Runnable statements) {
    String outer = FOR_ONE_STATEMENT.get();
    FOR_ONE_STATEMENT.set(id);
    try {
      statements.run();
    } finally {
      if (outer == null) {
        FOR_ONE_STATEMENT.remove();
      } else {
        FOR_ONE_STATEMENT.set(outer);
      }
    }
  }

  /**
   * The id for a log line now: one named for this statement, else the current work's, else null.
   */
  public static String current() {
    String named = FOR_ONE_STATEMENT.get();
    if (named != null) {
      return named;
    }
    Map<Object, Object> requestData = VertxInternals.requestData();
    return requestData == null ? null : (String) requestData.get(KEY);
  }
}
