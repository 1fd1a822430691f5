package verticles;

import audit.Audit;
import contract.Addresses;
import contract.Topics;
import domain.TradeParser;
import domain.TradeRules;
import domain.UpsertBatch;
import domain.UpsertResults;
import domain.UpsertTrade;
import domain.Violation;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import messaging.KafkaConfigs;
import messaging.RecordValues;
import settings.ConsumerSettings;

/**
 * Feeds the {@code trades} topic into the same {@code trades.upsert} path as REST, a partition's
 * polled records at a time (one {@link UpsertBatch} per run). Poison records (unparsable,
 * incomplete, or refused by a rule) are audited and go to {@code trades.dlq}; outages are retried.
 */
public final class TradeConsumerVerticle extends KafkaToBusVerticle<UpsertTrade> {
  public static final String GROUP = "trade-consumer-group";

  private final TradeRules rules;

  /**
   * @param clock whose date is "today" for parsing (a missing created_date defaults to it)
   */
  public TradeConsumerVerticle(Clock clock) {
    this.rules = new TradeRules(clock);
  }

  @Override
  protected Subscription subscription() {
    return new Subscription(
        "trades",
        KafkaConfigs.consumer(config(), GROUP),
        Set.of(Topics.TRADES),
        Addresses.TRADES_UPSERT,
        ConsumerSettings.from(config()));
  }

  @Override
  protected UpsertTrade parse(KafkaConsumerRecord<String, String> record) {
    return new UpsertTrade(
        TradeParser.parse(RecordValues.jsonObject(record).getMap(), rules.today()),
        UpsertTrade.Source.KAFKA);
  }

  @Override
  protected Object request(List<UpsertTrade> items, List<String> correlationIds) {
    return new UpsertBatch(items, correlationIds);
  }

  @Override
  protected List<Violation> refusals(Object reply) {
    return ((UpsertResults) reply)
        .results().stream().map(result -> result.isRejected() ? result.violation() : null).toList();
  }

  @Override
  protected void poisoned(
      KafkaConsumerRecord<String, String> record, Violation violation, String correlationId) {
    Audit.trade(
        vertx,
        record.key(),
        Audit.Action.VALIDATION_FAILED,
        false,
        new JsonObject()
            .put("error", violation.code().name())
            .put("message", violation.message())
            .put("field", violation.field())
            .put("partition", record.partition())
            .put("offset", record.offset()),
        correlationId,
        UpsertTrade.Source.KAFKA.wireName());
  }
}
