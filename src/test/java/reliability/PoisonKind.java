package reliability;

import static reliability.PoisonTopic.Type.BOOLEAN;
import static reliability.PoisonTopic.Type.CODE;
import static reliability.PoisonTopic.Type.COUNT;
import static reliability.PoisonTopic.Type.DATE;
import static reliability.PoisonTopic.Type.DECIMAL;
import static reliability.PoisonTopic.Type.EPOCH_MS;
import static reliability.PoisonTopic.Type.INSTANT;
import static reliability.PoisonTopic.Type.NON_NEGATIVE;
import static reliability.PoisonTopic.Type.POSITIVE;
import static reliability.PoisonTopic.Type.TEXT;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import reliability.PoisonTopic.Field;
import reliability.PoisonTopic.Type;

/**
 * The ways a message can be malformed. Kinds that break one field apply to the fields of the types
 * they name; each value they produce is refused by the field's parser whatever the topic, so a
 * poison message that is stored instead of dead-lettered is a bug of the service, never of the
 * test.
 */
enum PoisonKind {
  NOT_JSON,
  INVALID_UTF8,
  EMPTY,
  TOMBSTONE,
  /** JSON, but not an object: an array, a number, a string, {@code null}, a boolean. */
  WRONG_SHAPE,
  MISSING_FIELD,
  WRONG_TYPE(EnumSet.allOf(Type.class)),
  /** 5 000 levels of arrays or objects in one field. */
  DEEP_NESTING(EnumSet.allOf(Type.class)),
  /** Numbers beyond what the field (a 32-bit version, NUMERIC(30, 10), a timestamptz) holds. */
  OUT_OF_RANGE(EnumSet.of(COUNT, DECIMAL, NON_NEGATIVE, POSITIVE, EPOCH_MS)),
  NAN_OR_INFINITY(EnumSet.of(COUNT, DECIMAL, NON_NEGATIVE, POSITIVE, EPOCH_MS)),
  NEGATIVE(EnumSet.of(COUNT, NON_NEGATIVE, POSITIVE, EPOCH_MS)),
  BAD_DATE(EnumSet.of(DATE, INSTANT, EPOCH_MS)),
  UNKNOWN_CODE(EnumSet.of(CODE)),
  /** 100 KB: text, or digits of a number. */
  OVERLONG(EnumSet.allOf(Type.class)),
  CONTROL_CHARACTER(EnumSet.of(TEXT)),
  /** A lone UTF-16 surrogate, written as a JSON escape: not Unicode, so no text can hold it. */
  UNPAIRED_SURROGATE(EnumSet.of(TEXT)),
  /** 400 KB of bytes that are not UTF-8: decoded, each becomes a 3-byte replacement character. */
  LARGE_BINARY;

  private static final String MARKER = "@@poison@@";
  private static final int HUGE = 100_000;

  /** The field types this kind breaks; empty for kinds that replace the whole message. */
  private final Set<Type> breaks;

  PoisonKind() {
    this(EnumSet.noneOf(Type.class));
  }

  PoisonKind(Set<Type> breaks) {
    this.breaks = breaks;
  }

  /**
   * The kinds drawn at random; {@link #LARGE_BINARY} is sent a fixed few times per topic, being
   * heavy.
   */
  static List<PoisonKind> mix(PoisonTopic topic) {
    return EnumSet.complementOf(EnumSet.of(LARGE_BINARY)).stream()
        .filter(kind -> kind.breaks.isEmpty() || !topic.fieldsOf(kind.breaks).isEmpty())
        .toList();
  }

  /** The poisoned value (null for a tombstone), made from a valid message of the topic. */
  byte[] value(PoisonTopic topic, JsonObject template, Random random) {
    return switch (this) {
      case NOT_JSON -> utf8("not json {" + template.encode());
      case INVALID_UTF8 -> invalidUtf8(1 + random.nextInt(2_000), random);
      case LARGE_BINARY -> continuationBytes(400 * 1024, random);
      case EMPTY -> new byte[0];
      case TOMBSTONE -> null;
      case WRONG_SHAPE ->
          utf8(
              pick(
                  random,
                  "[1,2]",
                  "42",
                  "\"text\"",
                  "null",
                  "true",
                  "[" + template.encode() + "]"));
      case MISSING_FIELD -> {
        JsonObject copy = template.copy();
        copy.remove(pick(random, topic.requiredFields()).name());
        yield utf8(copy.encode());
      }
      default -> {
        Field field = pick(random, topic.fieldsOf(breaks));
        String raw = fieldValue(field.type(), template.getValue(field.name()), random);
        yield utf8(
            template.copy().put(field.name(), MARKER).encode().replace(Json.encode(MARKER), raw));
      }
    };
  }

  /** The raw JSON that replaces a field's valid value. */
  private String fieldValue(Type type, Object valid, Random random) {
    return switch (this) {
      case WRONG_TYPE ->
          switch (type) {
            case TEXT, CODE, DATE, INSTANT -> pick(random, "42", "true", "[]", "{\"a\":1}");
            case BOOLEAN -> pick(random, "\"yes\"", "1");
            case COUNT -> pick(random, "\"1\"", "1.5", "true", "[1]");
            default -> pick(random, "true", "[1]", "{\"v\":1}", "\"abc\"");
          };
      case DEEP_NESTING ->
          random.nextBoolean()
              ? "[".repeat(5_000) + "]".repeat(5_000)
              : "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
      case OUT_OF_RANGE ->
          switch (type) {
            case COUNT -> pick(random, "2147483648", "99999999999999999999999", "1e400000");
            case EPOCH_MS ->
                pick(random, "253402300800000", "1e17", "99999999999999999999", "1e-2147483649");
            case POSITIVE ->
                pick(
                    random,
                    "1e400000",
                    "\"123456789012345678901.5\"",
                    "\"1.12345678901\"",
                    "1e-2147483649");
            default ->
                pick(
                    random,
                    "1e400000",
                    "-1e400000",
                    "\"123456789012345678901.5\"",
                    "\"1.12345678901\"");
          };
      case NAN_OR_INFINITY ->
          pick(random, "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "NaN", "Infinity", "-Infinity");
      case NEGATIVE ->
          switch (type) {
            case COUNT, EPOCH_MS -> pick(random, "-1", "-5");
            case POSITIVE -> pick(random, "-1", "0", "\"-0.5\"");
            default -> pick(random, "-0.01", "\"-12.5\"");
          };
      case BAD_DATE ->
          switch (type) {
            case DATE ->
                pick(
                    random,
                    "\"2024-02-30\"",
                    "\"2024-13-01\"",
                    "\"01/03/2024\"",
                    "\"0000-01-01\"",
                    "\"2024-3-1\"",
                    "\"yesterday\"",
                    "\"+10000-01-01\"");
            case INSTANT ->
                pick(
                    random,
                    "\"2024-03-01T25:00:00Z\"",
                    "\"2024-03-01 12:00:00\"",
                    "\"2024-03-01\"",
                    "\"+999999999-12-31T23:59:59Z\"",
                    "\"0000-01-01T00:00:00Z\"",
                    "\"2024-02-30T00:00:00Z\"");
            default ->
                pick(
                    random,
                    "\"+999999999-12-31T23:59:59Z\"",
                    "\"-999999999-01-01T00:00:00Z\"",
                    "\"2024-02-30T00:00:00Z\"",
                    "\"not a time\"",
                    "\"1969-12-31T23:59:59Z\"");
          };
      case UNKNOWN_CODE ->
          pick(
              random,
              "\"sideways\"",
              "\"usd\"",
              "\"POSITIVE\"",
              "\"neutral\"",
              "\"EURO\"",
              "\"€\"");
      case OVERLONG ->
          switch (type) {
            case TEXT, CODE, DATE, INSTANT, BOOLEAN -> Json.encode("x".repeat(HUGE));
            // Digits as text or as a number; trailing zeros, because stripping them is what costs.
            default ->
                random.nextBoolean() ? "\"1" + "0".repeat(HUGE) + "\"" : "1" + "0".repeat(HUGE);
          };
      case CONTROL_CHARACTER -> {
        String text = String.valueOf(valid);
        yield Json.encode(
            text.charAt(0)
                + pick(random, "\u0000", "\u0007", "\u001b", "\u007f", "\u0085")
                + text.substring(1));
      }
      case UNPAIRED_SURROGATE -> {
        String quoted = Json.encode(String.valueOf(valid));
        yield quoted.substring(0, quoted.length() - 1)
            + pick(random, "\\ud800", "\\udfff", "\\ud83d", "\\udc00\\ud800")
            + "\"";
      }
      default -> throw new IllegalStateException(this + " replaces the whole message");
    };
  }

  /** Random bytes with a sequence no UTF-8 decoder accepts at least every 16 bytes. */
  private static byte[] invalidUtf8(int length, Random random) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    for (int i = 0; i < length; i += 16) {
      bytes[i] = (byte) 0xFF;
    }
    return bytes;
  }

  /**
   * Bytes that only ever continue a UTF-8 sequence: each one decodes to a replacement character.
   */
  private static byte[] continuationBytes(int length, Random random) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (0x80 | random.nextInt(0x40));
    }
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static <T> T pick(Random random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }
}
