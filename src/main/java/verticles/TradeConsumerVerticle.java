package verticles;

import app.ConfigKeys;
import audit.Audit;
import domain.Trade;
import domain.TradeParser;
import domain.TradeRules;
import domain.UpsertResult;
import domain.UpsertTrade;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Clock;
import java.util.Set;
import java.util.function.BooleanSupplier;
import kafka.Backoff;
import kafka.DeadLetters;
import kafka.KafkaConfigs;
import kafka.KafkaHeaders;
import kafka.OrderedConsumer;
import kafka.RecordValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@code trades} topic into the same {@code trades.upsert} path as REST. Poison records
 * (unparsable, incomplete, or refused by a rule) go to {@code trades.dlq}; outages are retried.
 */
public final class TradeConsumerVerticle extends VerticleBase {
  public static final String TOPIC = "trades";
  public static final String GROUP = "trade-consumer-group";
  private static final Logger LOG = LoggerFactory.getLogger(TradeConsumerVerticle.class);

  private final TradeRules rules;
  private KafkaProducer<String, String> producer;
  private DeadLetters deadLetters;
  private OrderedConsumer consumer;
  private volatile boolean stopped;

  /** @param clock whose date is "today" for parsing (a missing created_date defaults to it) */
  public TradeConsumerVerticle(Clock clock) {
    this.rules = new TradeRules(clock);
  }

  @Override
  public Future<?> start() {
    producer = KafkaProducer.create(vertx, KafkaConfigs.producer(config()));
    deadLetters = new DeadLetters(vertx, producer, () -> stopped);
    return OrderedConsumer.start(vertx, KafkaConfigs.consumer(config(), GROUP), Set.of(TOPIC),
            OrderedConsumer::byKeyOrPartition, this::handle, deadLetters::crashed, KafkaConfigs.consumerSettings(config()))
        .onSuccess(started -> consumer = started);
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return consumer.stop().eventually(producer::close);
  }

  private Future<Void> handle(KafkaConsumerRecord<String, String> record, BooleanSupplier revoked) {
    String correlationId = KafkaHeaders.correlationId(record);
    Trade trade;
    try {
      trade = parse(record);
    } catch (ViolationException e) {
      return poison(record, e.violation(), correlationId);
    }
    return Backoff.retry(vertx, "trade " + trade.tradeId() + " upsert", () -> upsert(trade, correlationId),
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
    DeliveryOptions options = new DeliveryOptions().addHeader(Addresses.CORRELATION_ID, correlationId)
        .setSendTimeout(config().getLong(ConfigKeys.REQUEST_TIMEOUT_MS, 10_000L));
    return vertx.eventBus().<UpsertResult>request(Addresses.TRADES_UPSERT, new UpsertTrade(trade, UpsertTrade.Source.KAFKA),
        options).map(reply -> reply.body());
  }

  /** Unusable input: audited, dead-lettered, and the partition moves on. */
  private Future<Void> poison(KafkaConsumerRecord<String, String> record, Violation violation, String correlationId) {
    LOG.warn("[corr={}] poison record {}-{}@{}: {}", correlationId, record.topic(), record.partition(), record.offset(),
        violation.message());
    Audit.trade(vertx, record.key(), Audit.Action.VALIDATION_FAILED, false, new JsonObject()
            .put("error", violation.code().name()).put("message", violation.message()).put("field", violation.field())
            .put("partition", record.partition()).put("offset", record.offset()),
        correlationId, UpsertTrade.Source.KAFKA.wireName());
    return deadLetters.send(record, violation, correlationId);
  }
}
