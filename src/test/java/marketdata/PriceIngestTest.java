package marketdata;

import static marketdata.MarketData.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import audit.Audit;
import contract.Topics;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import messaging.DeadLetters;
import messaging.KafkaConfigs;
import mongo.MongoClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;

/**
 * raw_prices → prices_raw, quote_tick, realtime_quote and Redis, through the real broker and
 * databases.
 */
@Tag("integration")
class PriceIngestTest {
  @RegisterExtension
  static final MarketData.Running running = MarketData.perClass(new JsonObject());

  private static final ServiceUnderTest service = running.service;
  private static RedisAPI redis;
  private static final Queue<KafkaConsumerRecord<String, String>> deadLetters =
      new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void deploy() {
    redis = MarketData.redis(service);
    KafkaConsumer<String, String> dlq =
        KafkaConsumer.create(
            service.vertx,
            KafkaConfigs.consumer(service.config, "price-dlq-test-" + UUID.randomUUID()));
    dlq.handler(deadLetters::add);
    Await.result(dlq.subscribe(Set.of(Topics.RAW_PRICES + Topics.DEAD_LETTER_SUFFIX)));
  }

  @Test
  void ticksLandInEveryStoreWithExactDecimals() {
    String symbol = MarketData.symbol("AAPL");
    long t0 = System.currentTimeMillis();
    running.produce(MarketData.tick(symbol, "187.1234567891", t0));
    running.produce(MarketData.tick(symbol, "187.25", t0 + 1));

    Await.until(
        "both ticks in quote_tick",
        WAIT,
        () -> MarketData.count(service, "quote_tick", symbol) == 2);
    assertEquals(2, MarketData.count(service, "prices_raw", symbol));
    Row quote =
        service.sql("SELECT * FROM realtime_quote WHERE symbol = $1", symbol).iterator().next();
    assertEquals(0, new BigDecimal("187.25").compareTo(quote.getBigDecimal("price")));
    assertEquals(t0 + 1, quote.getLong("timestamp_ms"));
    assertEquals("XNAS", quote.getString("exchange"));
    Row first =
        service
            .sql(
                "SELECT price, size FROM prices_raw WHERE symbol = $1 ORDER BY timestamp_ms",
                symbol)
            .iterator()
            .next();
    assertEquals(
        0,
        new BigDecimal("187.1234567891").compareTo(first.getBigDecimal("price")),
        "no double rounding");
    assertEquals(0, BigDecimal.TEN.compareTo(first.getBigDecimal("size")));

    JsonObject cached =
        Await.until(
            "quote in Redis",
            WAIT,
            () -> io.vertx.core.Future.succeededFuture(MarketData.cachedQuote(redis, symbol)),
            json -> json != null && "187.25".equals(json.getString("price")));
    assertEquals(t0 + 1, cached.getLong("timestamp_ms"));
  }

  @Test
  void aliasesAndIsoTimestampsAreNormalised() {
    String symbol = MarketData.symbol("MSFT");
    running.produce(
        symbol,
        new JsonObject()
            .put("s", symbol.toLowerCase())
            .put("p", 101.5)
            .put("q", 7)
            .put("t", "2030-01-02T03:04:05.678Z")
            .put("x", "arca")
            .encode());
    Await.until(
        "aliased tick stored",
        WAIT,
        () -> MarketData.count(service, "realtime_quote", symbol) == 1);
    Row quote =
        service.sql("SELECT * FROM realtime_quote WHERE symbol = $1", symbol).iterator().next();
    assertEquals(0, new BigDecimal("101.5").compareTo(quote.getBigDecimal("price")));
    assertEquals(0, new BigDecimal("7").compareTo(quote.getBigDecimal("size")));
    assertEquals(
        java.time.Instant.parse("2030-01-02T03:04:05.678Z").toEpochMilli(),
        quote.getLong("timestamp_ms"));
    assertEquals("ARCA", quote.getString("exchange"));
  }

  @Test
  void olderTicksNeverReplaceANewerQuote() {
    String symbol = MarketData.symbol("OOO");
    long t0 = System.currentTimeMillis();
    // within one batch: newest first, then older ones
    running.produce(MarketData.tick(symbol, "30", t0 + 3000));
    running.produce(MarketData.tick(symbol, "10", t0 + 1000));
    running.produce(MarketData.tick(symbol, "20", t0 + 2000));
    Await.until(
        "first ticks stored", WAIT, () -> MarketData.count(service, "quote_tick", symbol) == 3);
    // in a later batch: older again
    running.produce(MarketData.tick(symbol, "5", t0));
    Await.until(
        "late tick stored", WAIT, () -> MarketData.count(service, "quote_tick", symbol) == 4);

    Row quote =
        service
            .sql("SELECT price, timestamp_ms FROM realtime_quote WHERE symbol = $1", symbol)
            .iterator()
            .next();
    assertEquals(0, new BigDecimal("30").compareTo(quote.getBigDecimal("price")));
    assertEquals(t0 + 3000, quote.getLong("timestamp_ms"));
    assertEquals(4, MarketData.count(service, "prices_raw", symbol));
    JsonObject cached =
        Await.until(
            "newest quote in Redis",
            WAIT,
            () -> io.vertx.core.Future.succeededFuture(MarketData.cachedQuote(redis, symbol)),
            json -> json != null);
    assertEquals("30", cached.getString("price"));

    running.produce(MarketData.tick(symbol, "31", t0 + 4000));
    Await.until(
        "newer tick replaces",
        WAIT,
        () ->
            "31"
                .equals(
                    MarketData.cachedQuote(redis, symbol) == null
                        ? null
                        : MarketData.cachedQuote(redis, symbol).getString("price")));
  }

  @Test
  void malformedTicksAreDeadLetteredWithAReasonAndThePartitionMovesOn() {
    String symbol = MarketData.symbol("BAD");
    String notJson = "bad-json-" + symbol;
    String noPrice = "no-price-" + symbol;
    String negative = "negative-" + symbol;
    java.util.List<Long> offsets =
        java.util.List.of(
            running.produce(notJson, "{not json").getOffset(),
            running
                .produce(
                    noPrice, new JsonObject().put("symbol", symbol).put("timestamp_ms", 1).encode())
                .getOffset(),
            running
                .produce(
                    negative, new JsonObject().put("symbol", symbol).put("price", "-1").encode())
                .getOffset());
    running.produce(MarketData.tick(symbol, "1.5", System.currentTimeMillis()));

    Await.until(
        "the valid tick after the bad ones is stored",
        WAIT,
        () -> MarketData.count(service, "realtime_quote", symbol) == 1);
    Await.until(
        "three dead letters",
        WAIT,
        () ->
            deadLetters.stream().filter(r -> r.key() != null && r.key().endsWith(symbol)).count()
                == 3);
    Map<String, String> reasons = new java.util.HashMap<>();
    Map<String, String> errors = new java.util.HashMap<>();
    deadLetters.stream()
        .filter(r -> r.key() != null && r.key().endsWith(symbol))
        .forEach(
            r -> {
              reasons.put(r.key(), header(r, DeadLetters.REASON));
              errors.put(r.key(), header(r, DeadLetters.ERROR));
            });
    assertEquals("MALFORMED_JSON", errors.get(notJson));
    assertEquals("MISSING_FIELD", errors.get(noPrice));
    assertEquals("INVALID_FIELD", errors.get(negative));
    assertNotNull(reasons.get(noPrice));
    assertEquals(true, reasons.get(noPrice).contains("price"), reasons::toString);
    assertEquals(
        0, MarketData.count(service, "prices_raw", symbol) - 1, "only the valid tick is stored");

    // each dead letter is also a KAFKA_ERROR event in trade_events (seed 001)
    MongoClient mongo = MongoClients.create(service.vertx, service.config);
    try {
      JsonObject query =
          new JsonObject()
              .put("event_type", "KAFKA_ERROR")
              .put("data.kind", "dead_letter")
              .put("data.topic", Topics.RAW_PRICES)
              .put("data.partition", running.partition)
              .put(
                  "data.offset",
                  new JsonObject()
                      .put(
                          "$in",
                          new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(offsets))));
      java.util.List<JsonObject> events =
          Await.until(
              "three KAFKA_ERROR events",
              WAIT,
              () -> mongo.find(Audit.TRADE_EVENTS, query),
              found -> found.size() == 3);
      assertEquals(
          Set.of("MALFORMED_JSON", "MISSING_FIELD", "INVALID_FIELD"),
          events.stream()
              .map(e -> e.getJsonObject("data").getString("error"))
              .collect(java.util.stream.Collectors.toSet()));
      events.forEach(
          e ->
              assertEquals(
                  "raw_prices.dlq", e.getJsonObject("data").getString("dead_letter_topic")));
    } finally {
      mongo.close();
    }
  }

  /**
   * Seed 003's enriched quotes take the same path as raw_prices; the record key names the symbol.
   */
  @Test
  void enrichedQuotesAreASecondSymbolKeyedSource() {
    String symbol = MarketData.symbol("ENR");
    long t0 = System.currentTimeMillis();
    running.produceTo(
        Topics.MARKET_QUOTES_ENRICHED,
        symbol,
        new JsonObject()
            .put("last_price", "42.1250")
            .put("volume", 7)
            .put("timestamp", t0)
            .put("change_pct", 1.2)
            .encode());
    Await.until(
        "the enriched quote is stored",
        WAIT,
        () -> MarketData.count(service, "realtime_quote", symbol) == 1);
    assertEquals(1, MarketData.count(service, "quote_tick", symbol));
    Row raw =
        service
            .sql("SELECT source_topic FROM prices_raw WHERE symbol = $1", symbol)
            .iterator()
            .next();
    assertEquals(Topics.MARKET_QUOTES_ENRICHED, raw.getString(0));
    JsonObject quote =
        service
            .get("/api/v1/quotes?symbols=" + symbol)
            .bodyAsJsonObject()
            .getJsonObject("quotes")
            .getJsonObject(symbol);
    assertEquals(
        new JsonObject()
            .put("symbol", symbol)
            .put("price", "42.125")
            .put("size", "7")
            .put("timestamp_ms", t0)
            .put("exchange", null),
        quote);
  }

  @Test
  void aTickWithoutTimestampTakesTheRecordTimestamp() {
    String symbol = MarketData.symbol("NOTS");
    long before = System.currentTimeMillis();
    running.produce(symbol, new JsonObject().put("ticker", symbol).put("last", "9.99").encode());
    Await.until("stored", WAIT, () -> MarketData.count(service, "realtime_quote", symbol) == 1);
    long ts =
        service
            .sql("SELECT timestamp_ms FROM realtime_quote WHERE symbol = $1", symbol)
            .iterator()
            .next()
            .getLong(0);
    assertEquals(
        true, ts >= before - 1000 && ts <= System.currentTimeMillis(), () -> "timestamp " + ts);
    assertNull(
        service
            .sql("SELECT size FROM realtime_quote WHERE symbol = $1", symbol)
            .iterator()
            .next()
            .getValue(0));
  }

  /**
   * A tick the database refuses (here by a trigger) is dead-lettered; the rest of its batch is
   * stored.
   */
  @Test
  void aTickTheDatabaseRefusesIsDeadLetteredAndItsBatchStillStored() {
    String good = MarketData.symbol("GOOD");
    String refused = MarketData.symbol("REFUSEDX");
    service.sql(
        """
        CREATE OR REPLACE FUNCTION refuse_tick() RETURNS trigger AS $$
        BEGIN
          IF NEW.symbol LIKE 'REFUSEDX%' THEN RAISE EXCEPTION 'numeric field overflow' USING ERRCODE = '22003'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql\
        """);
    service.sql(
        "CREATE TRIGGER refuse_tick BEFORE INSERT ON prices_raw FOR EACH ROW EXECUTE FUNCTION"
            + " refuse_tick()");
    try {
      long t0 = System.currentTimeMillis();
      running.produce(MarketData.tick(good, "10", t0));
      running.produce(MarketData.tick(refused, "11", t0));
      running.produce(MarketData.tick(good, "12", t0 + 1));
      Await.until(
          "the good ticks stored", WAIT, () -> MarketData.count(service, "quote_tick", good) == 2);
      Await.until(
          "the refused tick dead-lettered",
          WAIT,
          () ->
              deadLetters.stream()
                  .anyMatch(
                      r ->
                          refused.equals(r.key())
                              && "INVALID_FIELD".equals(header(r, "dlq_error"))));
      assertEquals(0, MarketData.count(service, "prices_raw", refused));
    } finally {
      service.sql("DROP TRIGGER IF EXISTS refuse_tick ON prices_raw");
    }
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    return record.headers().stream()
        .filter(h -> h.key().equals(name))
        .findFirst()
        .map(KafkaHeader::value)
        .map(b -> b.toString(StandardCharsets.UTF_8))
        .orElse(null);
  }
}
