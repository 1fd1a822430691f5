package contract;

/** Header names that cross a boundary: HTTP requests, event-bus messages and Kafka records. */
public final class Headers {
  /** The correlation id on every event-bus message and every Kafka record, consumed or produced. */
  public static final String CORRELATION_ID = "correlation_id";

  /** The correlation id of an HTTP request, echoed on its response. */
  public static final String HTTP_CORRELATION_ID = "X-Correlation-ID";

  /** Which audit collection an {@code audit.append} document goes to. */
  public static final String AUDIT_COLLECTION = "collection";

  private Headers() {}
}
