package codec;

import domain.Trade;
import domain.UpsertBatch;
import domain.UpsertResult;
import domain.UpsertResults;
import domain.UpsertTrade;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers a default codec for every record type that travels on the event bus. */
public final class Codecs {
  private static final List<JsonRecordCodec<?>> ALL =
      List.of(
          new JsonRecordCodec<>(Trade.class, TradeJson::toJson, TradeJson::fromJson),
          new JsonRecordCodec<>(
              UpsertTrade.class, TradeJson::upsertToJson, TradeJson::upsertFromJson),
          new JsonRecordCodec<>(
              UpsertResult.class, TradeJson::resultToJson, TradeJson::resultFromJson),
          new JsonRecordCodec<>(
              UpsertBatch.class, TradeJson::batchToJson, TradeJson::batchFromJson),
          new JsonRecordCodec<>(
              UpsertResults.class, TradeJson::resultsToJson, TradeJson::resultsFromJson),
          new JsonRecordCodec<>(AuditBatch.class, AuditBatch::toJson, AuditBatch::fromJson));

  private Codecs() {}

  public static void registerAll(EventBus bus) {
    ALL.forEach(codec -> register(bus, codec));
  }

  private static <T> void register(EventBus bus, JsonRecordCodec<T> codec) {
    bus.registerDefaultCodec(codec.type(), codec);
  }
}
