package codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import domain.ErrorCode;
import domain.Trade;
import domain.UpsertResult;
import domain.UpsertTrade;
import domain.Violation;
import io.vertx.core.buffer.Buffer;
import java.time.LocalDate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JsonRecordCodecTest {
  private static final Trade TRADE =
      new Trade(
          "T1",
          3,
          "CP-1",
          "B1",
          LocalDate.parse("2030-05-20"),
          LocalDate.parse("2024-12-11"),
          false);

  private static <T> T overTheWire(JsonRecordCodec<T> codec, T value) {
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, value);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  void localDeliveryPassesTheSameInstance() {
    JsonRecordCodec<Trade> codec =
        new JsonRecordCodec<>(Trade.class, TradeJson::toJson, TradeJson::fromJson);
    assertSame(TRADE, codec.transform(TRADE));
  }

  @Test
  void messagesSurviveTheWire() {
    assertEquals(
        new UpsertTrade(TRADE, UpsertTrade.Source.KAFKA),
        overTheWire(
            new JsonRecordCodec<>(
                UpsertTrade.class, TradeJson::upsertToJson, TradeJson::upsertFromJson),
            new UpsertTrade(TRADE, UpsertTrade.Source.KAFKA)));
    JsonRecordCodec<UpsertResult> results =
        new JsonRecordCodec<>(
            UpsertResult.class, TradeJson::resultToJson, TradeJson::resultFromJson);
    UpsertResult rejected =
        UpsertResult.rejected(TRADE, Violation.of(ErrorCode.INVALID_VERSION, "version", "lower"));
    assertEquals(rejected, overTheWire(results, rejected));
    UpsertResult created = UpsertResult.stored(UpsertResult.Outcome.CREATED, TRADE);
    assertEquals(created, overTheWire(results, created));
  }
}
