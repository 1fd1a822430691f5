package mongo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.BsonBinaryWriter;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Encodes an audit document straight to BSON, once, walking its map: the Vert.x Mongo client's JSON
 * codec re-wraps every value and probes every nested object for extended-JSON keys, and that walk
 * was most of the audit's CPU at peak trade load (see BENCHMARKS.md). The result is what that codec
 * stores: {@code {"$date": ISO}} becomes a BSON date and {@code {"$oid": hex}} an ObjectId, so the
 * audit queries read the documents back through the Vert.x client unchanged.
 */
public final class AuditBson {
  private static final String DATE = "$date";
  private static final String OID = "$oid";

  private AuditBson() {}

  public static RawBsonDocument encode(JsonObject document) {
    BasicOutputBuffer buffer = new BasicOutputBuffer(512);
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      writeDocument(writer, document.getMap());
    }
    return new RawBsonDocument(buffer.getInternalBuffer(), 0, buffer.getPosition());
  }

  private static void writeDocument(BsonBinaryWriter writer, Map<String, Object> fields) {
    writer.writeStartDocument();
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      writer.writeName(field.getKey());
      writeValue(writer, field.getValue());
    }
    writer.writeEndDocument();
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(BsonBinaryWriter writer, Object value) {
    if (value == null) {
      writer.writeNull();
    } else if (value instanceof String text) {
      writer.writeString(text);
    } else if (value instanceof Boolean flag) {
      writer.writeBoolean(flag);
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      writer.writeInt32(((Number) value).intValue());
    } else if (value instanceof Long number) {
      writer.writeInt64(number);
    } else if (value instanceof Double || value instanceof Float) {
      writer.writeDouble(((Number) value).doubleValue());
    } else if (value instanceof BigDecimal || value instanceof BigInteger) {
      writeDecimal(writer, new BigDecimal(value.toString()));
    } else if (value instanceof JsonObject object) {
      writeObject(writer, object.getMap());
    } else if (value instanceof Map<?, ?> map) {
      writeObject(writer, (Map<String, Object>) map);
    } else if (value instanceof JsonArray array) {
      writeArray(writer, array.getList());
    } else if (value instanceof List<?> list) {
      writeArray(writer, list);
    } else if (value instanceof Instant instant) {
      writer.writeDateTime(instant.toEpochMilli());
    } else {
      writer.writeString(value.toString());
    }
  }

  /**
   * Our documents use two extended-JSON forms, dates and object ids; any other object is a plain
   * document.
   */
  private static void writeObject(BsonBinaryWriter writer, Map<String, Object> fields) {
    if (fields.size() == 1 && fields.get(DATE) instanceof String iso) {
      writer.writeDateTime(Instant.parse(iso).toEpochMilli());
    } else if (fields.size() == 1 && fields.get(OID) instanceof String hex) {
      writer.writeObjectId(new ObjectId(hex));
    } else {
      writeDocument(writer, fields);
    }
  }

  private static void writeArray(BsonBinaryWriter writer, List<?> values) {
    writer.writeStartArray();
    for (Object value : values) {
      writeValue(writer, value);
    }
    writer.writeEndArray();
  }

  /**
   * Exact as a decimal128 when it fits (34 digits); otherwise kept exact as text rather than
   * rounded.
   */
  private static void writeDecimal(BsonBinaryWriter writer, BigDecimal decimal) {
    try {
      writer.writeDecimal128(new Decimal128(decimal));
    } catch (NumberFormatException tooPrecise) {
      writer.writeString(decimal.toPlainString());
    }
  }
}
