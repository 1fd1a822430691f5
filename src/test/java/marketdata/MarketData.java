package marketdata;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import messaging.KafkaConfigs;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * Test helpers for market data: a tick producer, a Redis reader and a recording WebSocket client.
 */
final class MarketData {
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private MarketData() {}

  /** A symbol no other test uses, so tests need not clean Redis or the tables between them. */
  static String symbol(String base) {
    return base
        + SEQUENCE.incrementAndGet()
        + "X"
        + Long.toString(System.nanoTime() % 100_000, 36).toUpperCase();
  }

  static JsonObject tick(String symbol, String price, long timestampMs) {
    return new JsonObject()
        .put("symbol", symbol)
        .put("price", price)
        .put("size", "10")
        .put("timestamp_ms", timestampMs)
        .put("exchange", "XNAS");
  }

  /**
   * The service in a Vert.x of its own, closed by {@link #close()}, with a producer that writes to
   * a partition this service's price consumer owns: quotes then reach this Vert.x's event bus,
   * whatever other consumers of the group another test class left in the JVM.
   *
   * <p>For a test class, it is a JUnit 5 extension on a static field ({@link #perClass}), started
   * and closed as {@link ServiceUnderTest#perClass} is, with the same ordering rule.
   */
  static final class Running implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    final ServiceUnderTest service;
    private final boolean consumes;

    /** The owned partition (-1 without the prices role), set when the service has started. */
    int partition = -1;

    private KafkaProducer<String, String> producer;

    private Running(ServiceUnderTest service, boolean consumes) {
      this.service = service;
      this.consumes = consumes;
    }

    /** The price group's members before this service joins it. */
    private Set<String> membersBefore() {
      return consumes ? PriceGroup.members() : Set.of();
    }

    private void started(Set<String> membersBefore) {
      partition = consumes ? PriceGroup.awaitOwnPartition(membersBefore) : -1;
      producer = KafkaProducer.create(service.vertx, KafkaConfigs.producer(service.config));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
      Set<String> before = membersBefore();
      service.beforeAll(context);
      started(before);
    }

    @Override
    public void afterAll(ExtensionContext context) {
      service.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      service.beforeEach(context);
    }

    /**
     * Produces to the owned partition (one partition keeps the arrival order tests rely on),
     * acknowledged.
     */
    RecordMetadata produce(String key, String value) {
      return Await.result(
          producer.send(
              KafkaProducerRecord.create(Topics.RAW_PRICES, key, value, null, partition)));
    }

    /** Produces to any topic, to whichever partition the key hashes to. */
    RecordMetadata produceTo(String topic, String key, String value) {
      return Await.result(producer.send(KafkaProducerRecord.create(topic, key, value)));
    }

    RecordMetadata produce(JsonObject tick) {
      return produce(tick.getString("symbol"), tick.encode());
    }

    void close() {
      service.close();
    }
  }

  static Running start(JsonObject overrides) {
    return start(Vertx.vertx(), overrides);
  }

  /** As {@link #start(JsonObject)}, in the given Vert.x (e.g. one with metrics). */
  static Running start(Vertx vertx, JsonObject overrides) {
    boolean consumes = PriceGroup.consumes(overrides);
    Set<String> before = consumes ? PriceGroup.members() : Set.of();
    Running running = new Running(ServiceUnderTest.start(vertx, withDefaults(overrides)), consumes);
    running.started(before);
    return running;
  }

  /**
   * As {@link #start(JsonObject)}, for a test class: register it with {@code @RegisterExtension} on
   * a static field.
   */
  static Running perClass(JsonObject overrides) {
    return perClass(Vertx::vertx, overrides);
  }

  /** As {@link #perClass(JsonObject)}, in the Vert.x {@code vertx} makes. */
  static Running perClass(Supplier<Vertx> vertx, JsonObject overrides) {
    return new Running(
        ServiceUnderTest.perClass(vertx, withDefaults(overrides)), PriceGroup.consumes(overrides));
  }

  private static JsonObject withDefaults(JsonObject overrides) {
    // every client of these tests is one operator on one host: the per-client cap is
    // WebSocketLimitsTest's
    return new JsonObject().put(ConfigKeys.WS_MAX_CONNECTIONS_PER_CLIENT, 1000).mergeIn(overrides);
  }

  static RedisAPI redis(ServiceUnderTest service) {
    return RedisAPI.api(
        Redis.createClient(
            service.vertx, service.config.getString(ConfigKeys.REDIS_CONNECTION_STRING)));
  }

  static JsonObject cachedQuote(RedisAPI redis, String symbol) {
    Response value = Await.result(redis.get("quote:" + symbol));
    return value == null ? null : new JsonObject(value.toString());
  }

  static long count(ServiceUnderTest service, String table, String symbol) {
    return service
        .sql("SELECT count(*) FROM " + table + " WHERE symbol = $1", symbol)
        .iterator()
        .next()
        .getLong(0);
  }

  /** A WebSocket client that records every text frame it receives. */
  static final class Client {
    final WebSocket socket;
    final Queue<JsonObject> frames = new ConcurrentLinkedQueue<>();
    volatile Short closeStatus;

    private Client(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
      socket.closeHandler(
          v -> closeStatus = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode());
    }

    static Client connect(Vertx vertx, int port) {
      return connect(vertx, port, new WebSocketClientOptions());
    }

    static Client connect(Vertx vertx, int port, WebSocketClientOptions options) {
      return connect(vertx, port, options, "/ws/quotes");
    }

    static Client connect(Vertx vertx, int port, String path) {
      return connect(vertx, port, new WebSocketClientOptions(), path);
    }

    static Client connect(Vertx vertx, int port, WebSocketClientOptions options, String path) {
      WebSocketClient client =
          vertx.createWebSocketClient(options.setMaxMessageSize(1 << 20).setMaxFrameSize(1 << 20));
      return new Client(Await.result(client.connect(TestInfra.socketWithToken(vertx, port, path))));
    }

    void send(JsonObject message) {
      Await.result(socket.writeTextMessage(message.encode()));
    }

    void subscribe(String type, String... symbols) {
      send(
          new JsonObject()
              .put("type", type)
              .put("symbols", new JsonArray(List.of((Object[]) symbols))));
    }

    List<JsonObject> ofType(String type) {
      return frames.stream()
          .filter(f -> type.equals(f.getString("type")))
          .collect(Collectors.toList());
    }

    JsonObject awaitFrame(String what, java.util.function.Predicate<JsonObject> match) {
      Await.until(what, WAIT, () -> frames.stream().anyMatch(match));
      return frames.stream().filter(match).findFirst().orElseThrow();
    }

    /** The latest price pushed for a symbol, from snapshots and updates in arrival order. */
    String lastPrice(String symbol) {
      String price = null;
      for (JsonObject frame : frames) {
        JsonObject quote = frame.getJsonObject("quotes", new JsonObject()).getJsonObject(symbol);
        if (quote != null) {
          price = quote.getString("price");
        }
      }
      return price;
    }

    Future<Void> close() {
      return socket.close();
    }
  }
}
