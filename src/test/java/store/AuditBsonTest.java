package store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import audit.Audit;
import codec.TradeJson;
import domain.ErrorCode;
import domain.Trade;
import domain.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.impl.codec.json.JsonObjectCodec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import mongo.AuditBson;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonSerializationException;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our audit encoding must store exactly what the Vert.x client's codec would have stored, so that
 * the audit queries (which read through that codec) see no difference: the same BSON types, read
 * back as the same JSON.
 */
@Tag("unit")
class AuditBsonTest {
  private static final JsonObjectCodec VERTX = new JsonObjectCodec(new JsonObject());
  private static final Trade TRADE =
      new Trade(
          "T-ü-1",
          3,
          "CP-1",
          "B1",
          LocalDate.parse("2030-05-20"),
          LocalDate.parse("2024-12-11"),
          false);

  @Test
  void tradeEntriesStoreWhatTheVertxCodecStores() {
    JsonObject created =
        Audit.tradeEntry(
                TRADE.tradeId(),
                Audit.Action.CREATE,
                true,
                new JsonObject().put("outcome", "CREATED").put("trade", TradeJson.toJson(TRADE)),
                "corr-1",
                "rest")
            .put("_id", new JsonObject().put("$oid", new ObjectId().toHexString()));
    JsonObject refused =
        Audit.tradeEntry(
            TRADE.tradeId(),
            Audit.Action.VALIDATION_FAILED,
            false,
            TradeJson.toJson(Violation.of(ErrorCode.INVALID_VERSION, "version", "lower"))
                .put("trade", TradeJson.toJson(TRADE)),
            null,
            "kafka");
    assertSameAsVertx(created);
    assertSameAsVertx(refused);
  }

  @Test
  void everyJsonValueKindRoundTrips() {
    JsonObject document =
        new JsonObject()
            .put("text", "plain, \"quoted\", 中文, emoji \uD83D\uDE00")
            .put("int", 42)
            .put("long", 1L << 40)
            .put("double", 0.1)
            .put("negative", -7)
            .put("decimal", new BigDecimal("12345.678900"))
            .put("yes", true)
            .put("no", false)
            .putNull("nothing")
            .put("when", Audit.date(Instant.parse("2026-12-02T10:15:30.123Z")))
            .put(
                "nested",
                new JsonObject()
                    .put(
                        "deeper",
                        new JsonObject()
                            .put(
                                "list",
                                new JsonArray()
                                    .add(1)
                                    .add("two")
                                    .addNull()
                                    .add(new JsonObject().put("k", "v"))
                                    .add(new JsonArray().add(3.5)))))
            .put("empty", new JsonObject())
            .put("none", new JsonArray());
    assertSameAsVertx(document);
  }

  @Test
  void aFieldNameBsonCannotHoldIsRefusedOnItsOwn() {
    assertThrows(
        BsonSerializationException.class,
        () -> AuditBson.encode(new JsonObject().put("a\u0000b", 1)));
  }

  private static void assertSameAsVertx(JsonObject document) {
    RawBsonDocument ours = AuditBson.encode(document);
    RawBsonDocument theirs = vertxEncoded(document);
    // BsonDocument equality compares each value with its BSON type: an int32 is not an int64
    assertEquals(typed(theirs), typed(ours), "BSON types and values");
    assertEquals(decode(theirs), decode(ours), "read back through the Vert.x codec");
  }

  private static RawBsonDocument vertxEncoded(JsonObject document) {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    VERTX.encode(new BsonBinaryWriter(buffer), document.copy(), EncoderContext.builder().build());
    return new RawBsonDocument(buffer.toByteArray());
  }

  private static BsonDocument typed(RawBsonDocument document) {
    return new BsonDocumentCodec()
        .decode(
            new BsonBinaryReader(document.getByteBuffer().asNIO()),
            DecoderContext.builder().build());
  }

  private static JsonObject decode(RawBsonDocument document) {
    return VERTX.decode(
        new BsonBinaryReader(document.getByteBuffer().asNIO()), DecoderContext.builder().build());
  }
}
