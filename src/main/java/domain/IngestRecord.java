package domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

/** A record of seed 002: a signed value moving from a source to a destination under a reference. */
public record IngestRecord(
    String recordId,
    OffsetDateTime time,
    String sourceId,
    String destinationId,
    Type type,
    BigDecimal value,
    String unit,
    String reference) {

  public enum Type {
    POSITIVE,
    NEGATIVE;

    public String wireName() {
      return name().toLowerCase();
    }
  }

  private static final int MAX_ID = 100;

  /** Validates an untrusted JSON object (as a map), naming the first offending field. */
  public static IngestRecord parse(Map<String, Object> json) {
    String recordId = Fields.text(json, "recordId", MAX_ID, true);
    OffsetDateTime time = Fields.instant(json, "time", true);
    String sourceId = Fields.text(json, "sourceId", MAX_ID, true);
    String destinationId = Fields.text(json, "destinationId", MAX_ID, true);
    Type type = type(Fields.text(json, "type", 8, true));
    BigDecimal value = Fields.decimal(json, "value", true);
    if (value.signum() < 0) {
      throw Fields.invalid("value", "value must not be negative; the type gives the sign");
    }
    String unit = Fields.text(json, "unit", 20, true);
    String reference = Fields.text(json, "reference", MAX_ID, true);
    return new IngestRecord(recordId, time, sourceId, destinationId, type, value, unit, reference);
  }

  /** The value with the sign its type gives it, as added to the aggregate. */
  public BigDecimal signedValue() {
    return type == Type.NEGATIVE ? value.negate() : value;
  }

  public static Type type(String value) {
    return switch (value) {
      case "positive" -> Type.POSITIVE;
      case "negative" -> Type.NEGATIVE;
      default -> throw Fields.invalid("type", "type must be 'positive' or 'negative'");
    };
  }
}
