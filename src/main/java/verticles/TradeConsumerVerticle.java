package verticles;

import audit.Audit;
import contract.Addresses;
import contract.Headers;
import contract.Topics;
import domain.Trade;
import domain.TradeParser;
import domain.TradeRules;
import domain.UpsertBatch;
import domain.UpsertResult;
import domain.UpsertResults;
import domain.UpsertTrade;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import logging.Correlation;
import messaging.Backoff;
import messaging.DeadLetters;
import messaging.KafkaConfigs;
import messaging.KafkaHeaders;
import messaging.OrderedConsumer;
import messaging.RecordValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.ConsumerSettings;

/**
 * Feeds the {@code trades} topic into the same {@code trades.upsert} path as REST, a partition's polled
 * records at a time (one request per run, see {@link OrderedConsumer#startBatched}). Poison records
 * (unparsable, incomplete, or refused by a rule) go to {@code trades.dlq}; outages are retried.
 */
public final class TradeConsumerVerticle extends VerticleBase {
  public static final String GROUP = "trade-consumer-group";
  private static final Logger LOG = LoggerFactory.getLogger(TradeConsumerVerticle.class);

  private final TradeRules rules;
  private KafkaProducer<String, String> producer;
  private DeadLetters deadLetters;
  private OrderedConsumer consumer;
  private volatile boolean stopped;
  private ConsumerSettings settings;

  /** @param clock whose date is "today" for parsing (a missing created_date defaults to it) */
  public TradeConsumerVerticle(Clock clock) {
    this.rules = new TradeRules(clock);
  }

  @Override
  public Future<?> start() {
    settings = ConsumerSettings.from(config());
    return DeadLetters.sharedProducer(vertx, config()).compose(this::consume);
  }

  private Future<OrderedConsumer> consume(KafkaProducer<String, String> deadLetterProducer) {
    producer = deadLetterProducer;
    deadLetters = new DeadLetters(vertx, producer, () -> stopped);
    return OrderedConsumer.startBatched(vertx, KafkaConfigs.consumer(config(), GROUP), Set.of(Topics.TRADES), this::handleRun,
            deadLetters::crashed, OrderedConsumer.Settings.of(settings))
        .onSuccess(started -> consumer = started);
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return consumer.stop(settings.shutdownDrainMs()).eventually(producer::close);
  }

  /**
   * A run of one partition's records: poison ones are dead-lettered, the valid ones go to the trade store in
   * one request (one unit, applied in order), retried whole while the store is unavailable.
   */
  private Future<Void> handleRun(List<KafkaConsumerRecord<String, String>> records, BooleanSupplier revoked) {
    List<Future<Void>> effects = new ArrayList<>();
    List<KafkaConsumerRecord<String, String>> valid = new ArrayList<>();
    List<UpsertTrade> upserts = new ArrayList<>();
    List<String> correlationIds = new ArrayList<>();
    for (KafkaConsumerRecord<String, String> record : records) {
      String correlationId = KafkaHeaders.correlationId(record);
      try {
        upserts.add(new UpsertTrade(parse(record), UpsertTrade.Source.KAFKA));
        valid.add(record);
        correlationIds.add(correlationId);
      } catch (ViolationException e) {
        effects.add(poison(record, e.violation(), correlationId));
      } catch (RuntimeException e) {
        effects.add(deadLetters.crashed(record, e));
      }
    }
    if (!valid.isEmpty()) {
      effects.add(upsertRun(valid, new UpsertBatch(upserts, correlationIds), revoked));
    }
    return Future.all(effects).mapEmpty();
  }

  private Future<Void> upsertRun(List<KafkaConsumerRecord<String, String>> records, UpsertBatch batch,
      BooleanSupplier revoked) {
    KafkaConsumerRecord<String, String> first = records.get(0);
    DeliveryOptions options = new DeliveryOptions().addHeader(Headers.CORRELATION_ID, batch.correlationIds().get(0))
        .setSendTimeout(settings.requestTimeoutMs());
    return Backoff.retry(vertx, "run of " + records.size() + " trades from " + first.topic() + "-" + first.partition()
                + "@" + first.offset(), batch.correlationIds().get(0),
            () -> vertx.eventBus().<UpsertResults>request(Addresses.TRADES_UPSERT, batch, options).map(Message::body),
            () -> stopped || revoked.getAsBoolean())
        .compose(results -> deadLetterRejected(records, results.results(), batch.correlationIds()))
        // The store crashed on something in the run: each record alone, so only the one it crashes on is dead-lettered.
        .recover(e -> Backoff.refusal(e) == null ? Future.failedFuture(e) : oneByOne(records, 0, revoked));
  }

  private Future<Void> deadLetterRejected(List<KafkaConsumerRecord<String, String>> records, List<UpsertResult> results,
      List<String> correlationIds) {
    List<Future<Void>> sends = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).isRejected()) {
        sends.add(deadLetters.send(records.get(i), results.get(i).violation(), correlationIds.get(i)));
      }
    }
    return Future.all(sends).mapEmpty();
  }

  private Future<Void> oneByOne(List<KafkaConsumerRecord<String, String>> records, int next, BooleanSupplier revoked) {
    return next == records.size() ? Future.succeededFuture()
        : handle(records.get(next), revoked).compose(v -> oneByOne(records, next + 1, revoked));
  }

  private Future<Void> handle(KafkaConsumerRecord<String, String> record, BooleanSupplier revoked) {
    String correlationId = KafkaHeaders.correlationId(record);
    Trade trade;
    try {
      trade = parse(record);
    } catch (ViolationException e) {
      return poison(record, e.violation(), correlationId);
    }
    return Backoff.retry(vertx, "trade " + trade.tradeId() + " upsert", correlationId, () -> upsert(trade, correlationId),
            () -> stopped || revoked.getAsBoolean())
        .compose(result -> result.isRejected()
            ? deadLetters.send(record, result.violation(), correlationId)
            : Future.succeededFuture())
        .recover(e -> Backoff.refusal(e) == null ? Future.failedFuture(e) : poison(record, Backoff.refusal(e), correlationId));
  }

  private Trade parse(KafkaConsumerRecord<String, String> record) {
    return TradeParser.parse(RecordValues.jsonObject(record).getMap(), rules.today());
  }

  private Future<UpsertResult> upsert(Trade trade, String correlationId) {
    DeliveryOptions options = new DeliveryOptions().addHeader(Headers.CORRELATION_ID, correlationId)
        .setSendTimeout(settings.requestTimeoutMs());
    return vertx.eventBus().<UpsertResult>request(Addresses.TRADES_UPSERT, new UpsertTrade(trade, UpsertTrade.Source.KAFKA),
        options).map(reply -> reply.body());
  }

  /** Unusable input: audited, dead-lettered, and the partition moves on. */
  private Future<Void> poison(KafkaConsumerRecord<String, String> record, Violation violation, String correlationId) {
    Correlation.log(correlationId,
        () -> LOG.warn("poison record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), violation.message()));
    Audit.trade(vertx, record.key(), Audit.Action.VALIDATION_FAILED, false, new JsonObject()
            .put("error", violation.code().name()).put("message", violation.message()).put("field", violation.field())
            .put("partition", record.partition()).put("offset", record.offset()),
        correlationId, UpsertTrade.Source.KAFKA.wireName());
    return deadLetters.send(record, violation, correlationId);
  }
}
