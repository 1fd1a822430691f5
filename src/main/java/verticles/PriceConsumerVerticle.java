package verticles;

import bus.Answering;
import cache.QuoteCache;
import cache.RedisCache;
import codec.QuoteJson;
import contract.Addresses;
import contract.Headers;
import contract.Topics;
import domain.ErrorCode;
import domain.Tick;
import domain.TickJson;
import domain.TickNormalizer;
import domain.Violation;
import domain.ViolationException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.PriceSettings;
import store.PgPools;
import store.PriceStore;
import store.StoreFailures;

/**
 * Turns {@code raw_prices} (seed 004) and {@code market.quotes.enriched} (seed 003, keyed by symbol) into stored ticks and fresh quotes. Ticks are buffered in arrival order and
 * stored in batches (by size or time); a record's offset becomes committable only once its batch is
 * committed in PostgreSQL. The changed quotes are then written through to Redis and published on
 * {@code quotes.updated}. Malformed ticks go to {@code raw_prices.dlq}. Stop flushes the buffer.
 */
public final class PriceConsumerVerticle extends VerticleBase {
  public static final String GROUP = "finpulse-price-consumer";
  private static final Logger LOG = LoggerFactory.getLogger(PriceConsumerVerticle.class);

  private record Buffered(PriceStore.Incoming incoming, KafkaConsumerRecord<String, String> record,
      Promise<Void> stored) {}

  /** The source recorded in prices_raw for ticks written without Kafka. */
  public static final String DIRECT_SOURCE = "direct";

  private final List<Buffered> buffer = new ArrayList<>();
  private long directSequence;
  private Pool pool;
  private PriceStore store;
  private RedisCache redis;
  private QuoteCache quoteCache;
  private KafkaProducer<String, String> producer;
  private DeadLetters deadLetters;
  private OrderedConsumer consumer;
  /** Flush interval 0: group commit (store at once, batches grow under load); above 0: wait for a full batch or this long. */
  private PriceSettings settings;
  private long flushTimer = -1;
  private Future<Void> current = Future.succeededFuture();
  private boolean storing;
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
    if (settings.flushIntervalMs() > 0) {
      flushTimer = vertx.setPeriodic(settings.flushIntervalMs(), id -> flush());
    }
    directSequence = System.currentTimeMillis() * 1_000;
    return vertx.eventBus().<JsonObject>consumer(Addresses.PRICES_DIRECT, Answering.always(LOG, this::direct)).completion()
        .compose(v -> OrderedConsumer.start(vertx, KafkaConfigs.consumer(config(), GROUP),
            Set.of(Topics.RAW_PRICES, Topics.MARKET_QUOTES_ENRICHED), (record, revoked) -> handle(record),
            deadLetters::crashed, consumerSettings()))
        .onSuccess(started -> consumer = started);
  }

  /**
   * New records are refused (they stay uncommitted and are redelivered), the buffer is stored, and only
   * then does the consumer commit and leave the group, so the stored records' offsets are committed.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(flushTimer);
    int buffered = buffer.size();
    return flushAll()
        .onSuccess(v -> LOG.info("Price buffer flushed on stop: {} ticks", buffered))
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.stop(settings.consumer().shutdownDrainMs()))
        .eventually(producer::close)
        .eventually(redis::close)
        .eventually(pool::close);
  }

  /** A whole batch may be in flight while the next one fills, so the partition is not paused too early. */
  private OrderedConsumer.Settings consumerSettings() {
    OrderedConsumer.Settings configured = OrderedConsumer.Settings.of(settings.consumer());
    return new OrderedConsumer.Settings(Math.max(configured.maxInFlightPerPartition(), 2 * settings.batchSize()),
        configured.commitIntervalMs());
  }

  private Future<Void> handle(KafkaConsumerRecord<String, String> record) {
    String correlationId = KafkaHeaders.correlationId(record);
    if (stopping) {
      return Future.failedFuture("stopping: left for redelivery");
    }
    Tick tick;
    try {
      tick = TickNormalizer.normalize(TickJson.parseObject(record.value()), keySymbol(record), record.timestamp());
    } catch (ViolationException e) {
      return poison(record, e.violation(), correlationId);
    }
    Promise<Void> stored = Promise.promise();
    buffer.add(new Buffered(new PriceStore.Incoming(tick, record.topic(), record.partition(), record.offset(),
        correlationId), record, stored));
    if (settings.flushIntervalMs() == 0 || buffer.size() >= settings.batchSize()) {
      flush();
    }
    return stored.future();
  }

  /** Only market.quotes.enriched is keyed by symbol; raw_prices keys are the producer's own. */
  private static String keySymbol(KafkaConsumerRecord<String, String> record) {
    return Topics.MARKET_QUOTES_ENRICHED.equals(record.topic()) ? record.key() : null;
  }

  /**
   * Ticks that never went through Kafka ({@code prices.direct}: the simulator while the broker is down) join the
   * same batches. Their idempotency key is a source of their own ({@value #DIRECT_SOURCE}) and an increasing
   * sequence started from the clock, so they never collide with each other or with Kafka coordinates.
   */
  private void direct(Message<JsonObject> message) {
    if (stopping) {
      message.fail(503, "stopping");
      return;
    }
    List<Tick> ticks = new ArrayList<>();
    for (Object quote : message.body().getJsonArray("ticks", new JsonArray())) {
      ticks.add(TickNormalizer.normalize(((JsonObject) quote).getMap(), System.currentTimeMillis()));
    }
    List<Future<Void>> stored = new ArrayList<>();
    for (Tick tick : ticks) { // all normalised first: a bad one refuses the message before any is buffered
      Promise<Void> done = Promise.promise();
      buffer.add(new Buffered(new PriceStore.Incoming(tick, DIRECT_SOURCE, 0, directSequence++, null), null, done));
      stored.add(done.future());
    }
    flush();
    Future.all(stored).onSuccess(all -> message.reply(new JsonObject().put("stored", stored.size())))
        .onFailure(e -> message.fail(503, e.getMessage()));
  }

  private Future<Void> poison(KafkaConsumerRecord<String, String> record, Violation violation, String correlationId) {
    Correlation.log(correlationId,
        () -> LOG.warn("malformed tick {}-{}@{} dead-lettered: {}", record.topic(), record.partition(), record.offset(), violation.message()));
    return deadLetters.send(record, violation, correlationId);
  }

  /**
   * Starts storing what is buffered unless a batch is being stored. Batches commit one at a time in arrival
   * order; with group commit (the default) a tick that arrives while the database is idle is stored at once,
   * and ticks that arrive during a store make the next batch bigger, not more numerous.
   */
  private void flush() {
    if (storing || buffer.isEmpty()) {
      return;
    }
    storing = true;
    current = storeBatch(takeBatch()).onComplete(done -> {
      storing = false;
      if (settings.flushIntervalMs() == 0 || buffer.size() >= settings.batchSize() || (stopping && !buffer.isEmpty())) {
        flush();
      }
    });
  }

  private Future<Void> flushAll() {
    if (!storing && buffer.isEmpty()) {
      return Future.succeededFuture();
    }
    flush();
    return current.transform(done -> flushAll());
  }

  private List<Buffered> takeBatch() {
    int n = Math.min(settings.batchSize(), buffer.size());
    List<Buffered> batch = new ArrayList<>(buffer.subList(0, n));
    buffer.subList(0, n).clear();
    return batch;
  }

  /**
   * A database outage is retried (the records wait, uncommitted); while stopping it is tried once. A
   * batch the database refuses as data (SQLSTATE 22/23) is split: each tick is stored alone, and the
   * ones refused again are dead-lettered, so one bad tick never holds up the others.
   */
  private Future<Void> storeBatch(List<Buffered> batch) {
    List<PriceStore.Incoming> incoming = batch.stream().map(Buffered::incoming).toList();
    String batchId = UUID.randomUUID().toString();
    return Backoff.retry(vertx, "price batch of " + batch.size(), incoming.get(0).correlationId(), () -> attempt(incoming)
            .recover(e -> StoreFailures.isBadData(e) ? storeOneByOne(batch) : Future.failedFuture(e)), () -> stopping)
        .onSuccess(changed -> {
          batch.forEach(b -> b.stored().complete());
          LOG.debug("[batch={}] stored {} ticks, {} quotes changed", batchId, batch.size(), changed.size());
          fanOut(changed, batchId);
        })
        .onFailure(e -> {
          Correlation.log(incoming.get(0).correlationId(), () -> LOG.error("[batch={}] {} ticks not stored, left "
              + "for redelivery (correlation id of the first): {}", batchId, batch.size(), e.getMessage()));
          batch.forEach(b -> b.stored().fail(e));
        })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private Future<List<Tick>> storeOneByOne(List<Buffered> batch) {
    LOG.warn("Price batch of {} refused by the database as data; storing its ticks one by one", batch.size());
    List<Tick> changed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Buffered one : batch) {
      chain = chain.compose(v -> attempt(List.of(one.incoming()))
          .map(ticks -> changed.addAll(ticks))
          .recover(e -> StoreFailures.isBadData(e) ? refused(one, e) : Future.failedFuture(e))
          .mapEmpty());
    }
    return chain.map(v -> changed);
  }

  /** A tick from Kafka is dead-lettered; one written directly has no record to dead-letter, and is dropped. */
  private Future<Boolean> refused(Buffered one, Throwable e) {
    if (one.record() == null) {
      LOG.warn("Direct tick {} refused by the database, dropped: {}", one.incoming().tick(), e.getMessage());
      return Future.succeededFuture(false);
    }
    return deadLetters.send(one.record(), Violation.of(ErrorCode.INVALID_FIELD, null,
        "rejected by the database: " + e.getMessage()), one.incoming().correlationId()).map(false);
  }

  /** A client that throws instead of failing its future must not leave the batch waiting forever. */
  private Future<List<Tick>> attempt(List<PriceStore.Incoming> incoming) {
    try {
      return store.store(incoming);
    } catch (RuntimeException | AssertionError e) {
      return Future.failedFuture(e);
    }
  }

  /** After the commit: Redis write-through (best effort: readers fall back to PostgreSQL) and the bus. */
  private void fanOut(List<Tick> changed, String batchId) {
    if (changed.isEmpty()) {
      return;
    }
    quoteCache.putIfNewer(changed);
    JsonObject quotes = new JsonObject();
    changed.forEach(tick -> quotes.put(tick.symbol(), QuoteJson.toJson(tick)));
    vertx.eventBus().publish(Addresses.QUOTES_UPDATED, new JsonObject().put("quotes", quotes),
        new DeliveryOptions().addHeader(Headers.CORRELATION_ID, batchId));
  }
}
