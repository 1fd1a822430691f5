package verticles;

import batching.GroupCommit;
import bus.Answering;
import cache.QuoteCache;
import cache.RedisCache;
import codec.QuoteJson;
import contract.Addresses;
import contract.Headers;
import contract.Topics;
import domain.Tick;
import domain.TickJson;
import domain.TickNormalizer;
import domain.Violation;
import domain.ViolationException;
import failures.Failures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import logging.Correlation;
import messaging.Backoff;
import messaging.DeadLetters;
import messaging.KafkaConfigs;
import messaging.KafkaHeaders;
import messaging.OrderedConsumer;
import metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.PriceSettings;
import store.PgPools;
import store.PriceStore;
import store.StoreFailures;

/**
 * Turns {@code raw_prices} (seed 004) and {@code market.quotes.enriched} (seed 003, keyed by
 * symbol) into stored ticks and fresh quotes. Ticks are group-committed in arrival order ({@link
 * GroupCommit}, lingering up to {@code PRICES_FLUSH_INTERVAL_MS} when set); a record's offset
 * becomes committable only once its batch is committed in PostgreSQL. The changed quotes are then
 * written through to Redis and published on {@code quotes.updated}. Malformed ticks go to {@code
 * raw_prices.dlq}. Stop flushes the buffer.
 */
public final class PriceConsumerVerticle extends VerticleBase {
  public static final String GROUP = "finpulse-price-consumer";
  private static final Logger LOG = LoggerFactory.getLogger(PriceConsumerVerticle.class);

  /**
   * A tick waiting for its batch; ticks never conflict in a batch, and the store orders them by
   * timestamp.
   */
  private record Buffered(
      PriceStore.Incoming incoming,
      KafkaConsumerRecord<String, String> record,
      Promise<Void> stored)
      implements GroupCommit.Item {}

  /** The source recorded in prices_raw for ticks written without Kafka. */
  public static final String DIRECT_SOURCE = "direct";

  private long directSequence;
  private Pool pool;
  private PriceStore store;
  private RedisCache redis;
  private QuoteCache quoteCache;
  private KafkaProducer<String, String> producer;
  private DeadLetters deadLetters;
  private OrderedConsumer consumer;
  private PriceSettings settings;
  private GroupCommit<Buffered> writes;
  private boolean stopping;

  @Override
  public Future<?> start() {
    settings = PriceSettings.from(config());
    pool = PgPools.create(vertx, config());
    store = new PriceStore(pool);
    redis = RedisCache.create(vertx, config(), "price consumer");
    quoteCache = new QuoteCache(redis);
    return DeadLetters.sharedProducer(vertx, config()).compose(this::consume);
  }

  private Future<OrderedConsumer> consume(KafkaProducer<String, String> deadLetterProducer) {
    producer = deadLetterProducer;
    deadLetters = new DeadLetters(vertx, producer, () -> stopping);
    // Flush interval 0: group commit (store at once, batches grow under load); above 0: wait for a
    // full batch or this long
    writes =
        new GroupCommit<>(
                Meters.PRICES_STORE_BATCH_SIZE,
                settings.batchSize(),
                this::storeBatch,
                this::answerFailure)
            .linger(vertx, settings.flushIntervalMs());
    directSequence = System.currentTimeMillis() * 1_000;
    return vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.PRICES_DIRECT, Answering.always(LOG, this::direct))
        .completion()
        .compose(
            v ->
                OrderedConsumer.start(
                    vertx,
                    KafkaConfigs.consumer(config(), GROUP),
                    Set.of(Topics.RAW_PRICES, Topics.MARKET_QUOTES_ENRICHED),
                    (record, revoked) -> handle(record),
                    deadLetters::crashed,
                    consumerSettings()))
        .onSuccess(started -> consumer = started);
  }

  /**
   * New records are refused (they stay uncommitted and are redelivered), the buffer is stored, and
   * only then does the consumer commit and leave the group, so the stored records' offsets are
   * committed.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    int buffered = writes.held();
    return writes
        .drain()
        .onSuccess(v -> LOG.info("Price buffer flushed on stop: {} ticks", buffered))
        .eventually(
            () ->
                consumer == null
                    ? Future.succeededFuture()
                    : consumer.stop(settings.consumer().shutdownDrainMs()))
        .eventually(producer::close)
        .eventually(redis::close)
        .eventually(pool::close);
  }

  /**
   * A whole batch may be in flight while the next one fills, so the partition is not paused too
   * early.
   */
  private OrderedConsumer.Settings consumerSettings() {
    OrderedConsumer.Settings configured = OrderedConsumer.Settings.of(settings.consumer());
    return new OrderedConsumer.Settings(
        Math.max(configured.maxInFlightPerPartition(), 2 * settings.batchSize()),
        configured.commitIntervalMs());
  }

  private Future<Void> handle(KafkaConsumerRecord<String, String> record) {
    String correlationId = KafkaHeaders.correlationId(record);
    if (stopping) {
      return Future.failedFuture(
          new Failures.Stopping(
              "tick " + record.topic() + "-" + record.partition() + "@" + record.offset()));
    }
    Tick tick;
    try {
      tick =
          TickNormalizer.normalize(
              TickJson.parseObject(record.value()), keySymbol(record), record.timestamp());
    } catch (ViolationException e) {
      return poison(record, e.violation(), correlationId);
    }
    Promise<Void> stored = Promise.promise();
    writes.add(
        new Buffered(
            new PriceStore.Incoming(
                tick, record.topic(), record.partition(), record.offset(), correlationId),
            record,
            stored));
    return stored.future();
  }

  /** Only market.quotes.enriched is keyed by symbol; raw_prices keys are the producer's own. */
  private static String keySymbol(KafkaConsumerRecord<String, String> record) {
    return Topics.MARKET_QUOTES_ENRICHED.equals(record.topic()) ? record.key() : null;
  }

  /**
   * Ticks that never went through Kafka ({@code prices.direct}: the simulator while the broker is
   * down) join the same batches. Their idempotency key is a source of their own ({@value
   * #DIRECT_SOURCE}) and an increasing sequence started from the clock, so they never collide with
   * each other or with Kafka coordinates.
   */
  private void direct(Message<JsonObject> message) {
    if (stopping) {
      message.fail(503, "stopping");
      return;
    }
    List<Tick> ticks = new ArrayList<>();
    for (Object quote : message.body().getJsonArray("ticks", new JsonArray())) {
      ticks.add(
          TickNormalizer.normalize(((JsonObject) quote).getMap(), System.currentTimeMillis()));
    }
    List<Future<Void>> stored = new ArrayList<>();
    for (Tick tick :
        ticks) { // all normalised first: a bad one refuses the message before any is buffered
      Promise<Void> done = Promise.promise();
      writes.add(
          new Buffered(
              new PriceStore.Incoming(tick, DIRECT_SOURCE, 0, directSequence++, null), null, done));
      stored.add(done.future());
    }
    Future.all(stored)
        .onSuccess(all -> message.reply(new JsonObject().put("stored", stored.size())))
        .onFailure(e -> message.fail(503, e.getMessage()));
  }

  private Future<Void> poison(
      KafkaConsumerRecord<String, String> record, Violation violation, String correlationId) {
    return deadLetters.poison("malformed tick", record, violation, correlationId);
  }

  /**
   * Stores one batch in one transaction ({@link GroupCommit}: batches commit one at a time in
   * arrival order, and ticks that arrive during a store make the next batch bigger, not more
   * numerous). A database outage is retried while the records wait, uncommitted; while stopping it
   * is tried once. A batch refused for good is split by the group commit, so each tick is stored
   * alone and only a bad one is refused ({@link #answerFailure}).
   */
  private Future<Void> storeBatch(List<Buffered> batch) {
    List<PriceStore.Incoming> incoming = batch.stream().map(Buffered::incoming).toList();
    String batchId = UUID.randomUUID().toString();
    return Backoff.retry(
            vertx,
            "price batch of " + batch.size(),
            incoming.get(0).correlationId(),
            () -> store.store(incoming),
            () -> stopping)
        .map(
            changed -> {
              batch.forEach(b -> b.stored().complete());
              Correlation.log(
                  batchId,
                  () ->
                      LOG.debug(
                          "stored {} ticks, {} quotes changed", batch.size(), changed.size()));
              fanOut(changed, batchId);
              return null;
            });
  }

  /**
   * Data the database refuses is dead-lettered; any other failure fails the tick, and its consumer
   * decides.
   */
  private void answerFailure(Buffered one, Throwable failure) {
    if (StoreFailures.isBadData(failure)) {
      refused(one, failure).onComplete(done -> one.stored().handle(done.mapEmpty()));
    } else {
      Correlation.log(
          one.incoming().correlationId(),
          () ->
              LOG.warn(
                  "tick {} not stored, left for its consumer: {}",
                  one.incoming().tick().symbol(),
                  failure.getMessage()));
      one.stored().fail(failure);
    }
  }

  /**
   * A tick from Kafka is dead-lettered; one written directly has no record to dead-letter, and is
   * dropped.
   */
  private Future<Void> refused(Buffered one, Throwable e) {
    if (one.record() == null) {
      LOG.warn(
          "Direct tick {} refused by the database, dropped: {}",
          one.incoming().tick(),
          e.getMessage());
      return Future.succeededFuture();
    }
    return deadLetters.send(one.record(), StoreFailures.refusal(e), one.incoming().correlationId());
  }

  /**
   * After the commit: Redis write-through (best effort: readers fall back to PostgreSQL) and the
   * bus.
   */
  private void fanOut(List<Tick> changed, String batchId) {
    if (changed.isEmpty()) {
      return;
    }
    quoteCache.putIfNewer(changed);
    JsonObject quotes = new JsonObject();
    changed.forEach(tick -> quotes.put(tick.symbol(), QuoteJson.toJson(tick)));
    vertx
        .eventBus()
        .publish(
            Addresses.QUOTES_UPDATED,
            new JsonObject().put("quotes", quotes),
            new DeliveryOptions().addHeader(Headers.CORRELATION_ID, batchId));
  }
}
