package infra.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import infra.Infrastructure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Await;
import support.TestInfra;

/**
 * Each server of the shared test infrastructure takes a real round trip through the real Vert.x
 * client.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
@Tag("integration")
class EmbeddedInfrastructureTest {

  @Test
  void postgresRunsVersion15(Vertx vertx, VertxTestContext ctx) {
    Pool pool =
        PgBuilder.pool()
            .connectingTo(
                PgConnectOptions.fromUri(TestInfra.config().getString(Infrastructure.PG_URI)))
            .using(vertx)
            .build();
    pool.query("select version()")
        .execute()
        .map(rows -> rows.iterator().next().getString(0))
        .eventually(pool::close)
        .onComplete(
            ctx.succeeding(
                version ->
                    ctx.verify(
                        () -> {
                          assertTrue(version.contains("PostgreSQL 15"), version);
                          ctx.completeNow();
                        })));
  }

  @Test
  void kafkaRoundTrip(Vertx vertx, VertxTestContext ctx) {
    String bootstrap = TestInfra.config().getString(Infrastructure.KAFKA_BOOTSTRAP_SERVERS);
    String topic = "it-roundtrip-" + UUID.randomUUID();
    KafkaProducerRecord<String, String> record =
        KafkaProducerRecord.create(topic, "key-1", "value-1");
    record.addHeader("trace-id", "abc");

    createTopic(vertx, bootstrap, topic)
        .compose(v -> produce(vertx, bootstrap, record))
        .compose(v -> consume(vertx, bootstrap, topic, 1))
        .onComplete(
            ctx.succeeding(
                records ->
                    ctx.verify(
                        () -> {
                          KafkaConsumerRecord<String, String> received = records.get(0);
                          assertEquals("key-1", received.key());
                          assertEquals("value-1", received.value());
                          assertEquals(1, received.headers().size());
                          assertEquals("trace-id", received.headers().get(0).key());
                          assertEquals("abc", received.headers().get(0).value().toString());
                          ctx.completeNow();
                        })));
  }

  /**
   * The broker keeps its data and its address across a stop/start, as outage tests of the service
   * need, and a producer that lived through the outage sends again.
   */
  @Test
  void kafkaComesBackAfterRestart(Vertx vertx, VertxTestContext ctx) throws Throwable {
    Infrastructure infra = TestInfra.get();
    String bootstrap = infra.connectionConfig().getString(Infrastructure.KAFKA_BOOTSTRAP_SERVERS);
    String topic = "it-restart-" + UUID.randomUUID();
    KafkaProducer<String, String> producer = producer(vertx, bootstrap);

    // The blocking stop/start runs on the test thread, between the two async phases.
    VertxTestContext before = new VertxTestContext();
    createTopic(vertx, bootstrap, topic)
        .compose(v -> producer.send(KafkaProducerRecord.create(topic, "k", "before")))
        .onComplete(before.succeedingThenComplete());
    awaitPhase(before);

    twice(infra::stopKafka);
    twice(infra::startKafka);
    assertEquals(
        bootstrap, infra.connectionConfig().getString(Infrastructure.KAFKA_BOOTSTRAP_SERVERS));

    producer
        .send(KafkaProducerRecord.create(topic, "k", "after"))
        .eventually(producer::close)
        .compose(v -> consume(vertx, bootstrap, topic, 2))
        .onComplete(
            ctx.succeeding(
                records ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              List.of("before", "after"),
                              records.stream().map(KafkaConsumerRecord::value).toList());
                          ctx.completeNow();
                        })));
  }

  /*
   * The fault hooks: a stopped server refuses connections and its client fails; after the start, the same client
   * works again on the same address, with the old data where the server keeps it. Each hook is called twice, as
   * it must do nothing when the server already is in the wanted state.
   */

  @Test
  void postgresComesBackWithItsDataAndThePoolReconnects(Vertx vertx) {
    Infrastructure infra = TestInfra.get();
    postgresOutage(vertx, infra::stopPostgres);
  }

  /** A crash: every acknowledged commit is there after the crash recovery. */
  @Test
  void postgresRecoversFromAKill(Vertx vertx) {
    Infrastructure infra = TestInfra.get();
    postgresOutage(vertx, infra::killPostgres);
  }

  private static void postgresOutage(Vertx vertx, Runnable fault) {
    Infrastructure infra = TestInfra.get();
    String uri = infra.connectionConfig().getString(Infrastructure.PG_URI);
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(uri)).using(vertx).build();
    String table = "it_restart_" + UUID.randomUUID().toString().replace("-", "");
    Await.result(
        pool.query("CREATE TABLE " + table + " (v text)")
            .execute()
            .compose(v -> pool.query("INSERT INTO " + table + " VALUES ('before')").execute()));
    try {
      twice(fault);
      assertRefused(uri);
      assertTrue(
          fails(pool.query("SELECT 1").execute()), "the pool fails while the server is down");
    } finally {
      twice(infra::startPostgres);
    }
    assertEquals(uri, infra.connectionConfig().getString(Infrastructure.PG_URI));
    Supplier<Future<List<String>>> values =
        () ->
            pool.query("SELECT v FROM " + table + " ORDER BY v")
                .execute()
                .map(
                    rows ->
                        StreamSupport.stream(rows.spliterator(), false)
                            .map(row -> row.getString(0))
                            .toList());
    Await.until(
        "the pool reconnects",
        Duration.ofSeconds(30),
        () -> values.get().otherwise(e -> null),
        List.of("before")::equals);
    Await.result(pool.query("INSERT INTO " + table + " VALUES ('after')").execute());
    assertEquals(List.of("after", "before"), Await.result(values.get()));
    Await.result(pool.query("DROP TABLE " + table).execute().eventually(pool::close));
  }

  @Test
  void mongoComesBackWithItsDocuments(Vertx vertx) {
    Infrastructure infra = TestInfra.get();
    String address = infra.connectionConfig().getString(Infrastructure.MONGO_CONNECTION_STRING);
    MongoClient mongo =
        MongoClient.create(
            vertx,
            new JsonObject()
                .put("db_name", "it")
                .put("connection_string", address + "/?serverSelectionTimeoutMS=1000"));
    String collection = "restart_" + UUID.randomUUID().toString().replace("-", "");
    Await.result(mongo.insert(collection, new JsonObject().put("name", "before")));
    try {
      twice(infra::stopMongo);
      assertRefused(address);
      assertTrue(
          fails(mongo.count(collection, new JsonObject())),
          "the client fails while the server is down");
    } finally {
      twice(infra::startMongo);
    }
    assertEquals(
        address, infra.connectionConfig().getString(Infrastructure.MONGO_CONNECTION_STRING));
    Await.until(
        "the client reconnects and finds the old document",
        Duration.ofSeconds(30),
        () -> mongo.count(collection, new JsonObject().put("name", "before")).otherwise(-1L),
        n -> n == 1);
    Await.result(mongo.insert(collection, new JsonObject().put("name", "after")));
    assertEquals(2L, Await.result(mongo.count(collection, new JsonObject())));
    Await.result(mongo.dropCollection(collection).eventually(mongo::close));
  }

  @Test
  void redisComesBackEmptyOnTheSamePort(Vertx vertx) {
    Infrastructure infra = TestInfra.get();
    String address = infra.connectionConfig().getString(Infrastructure.REDIS_CONNECTION_STRING);
    Redis client = Redis.createClient(vertx, address);
    RedisAPI redis = RedisAPI.api(client);
    String key = "it:" + UUID.randomUUID();
    Await.result(redis.set(List.of(key, "lost")));
    try {
      twice(infra::stopRedis);
      assertRefused(address);
      assertTrue(fails(redis.get(key)), "the client fails while the server is down");
    } finally {
      twice(infra::startRedis);
    }
    assertEquals(
        address, infra.connectionConfig().getString(Infrastructure.REDIS_CONNECTION_STRING));
    String value =
        Await.until(
            "the client reconnects",
            Duration.ofSeconds(30),
            () -> redis.get(key).map(r -> r == null ? "(nil)" : r.toString()).otherwise(e -> null),
            "(nil)"::equals);
    assertEquals("(nil)", value, "a restarted cache is empty");
    Await.result(redis.set(List.of(key, "after")));
    assertEquals("after", Await.result(redis.get(key)).toString());
    client.close();
  }

  @Test
  void mongoInsertFindAndIndex(Vertx vertx, VertxTestContext ctx) {
    MongoClient mongo =
        MongoClient.create(
            vertx,
            new JsonObject()
                .put(
                    "connection_string",
                    TestInfra.config().getString(Infrastructure.MONGO_CONNECTION_STRING))
                .put("db_name", "it"));
    String collection = "things_" + UUID.randomUUID().toString().replace("-", "");
    mongo
        .insert(collection, new JsonObject().put("name", "widget").put("qty", 3))
        .compose(id -> mongo.createIndex(collection, new JsonObject().put("name", 1)).map(id))
        .compose(id -> mongo.findOne(collection, new JsonObject().put("_id", id), null))
        .eventually(mongo::close)
        .onComplete(
            ctx.succeeding(
                found ->
                    ctx.verify(
                        () -> {
                          assertEquals("widget", found.getString("name"));
                          assertEquals(3, found.getInteger("qty"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void redisSetGet(Vertx vertx, VertxTestContext ctx) {
    Redis client =
        Redis.createClient(
            vertx, TestInfra.config().getString(Infrastructure.REDIS_CONNECTION_STRING));
    RedisAPI redis = RedisAPI.api(client);
    String key = "it:" + UUID.randomUUID();
    redis
        .set(List.of(key, "hello"))
        .compose(ok -> redis.get(key))
        .onComplete(ar -> client.close())
        .onComplete(
            ctx.succeeding(
                value ->
                    ctx.verify(
                        () -> {
                          assertEquals("hello", value.toString());
                          ctx.completeNow();
                        })));
  }

  private static Future<Void> createTopic(Vertx vertx, String bootstrap, String topic) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", bootstrap));
    return admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).eventually(admin::close);
  }

  private static Future<RecordMetadata> produce(
      Vertx vertx, String bootstrap, KafkaProducerRecord<String, String> record) {
    KafkaProducer<String, String> producer = producer(vertx, bootstrap);
    return producer.send(record).eventually(producer::close);
  }

  private static KafkaProducer<String, String> producer(Vertx vertx, String bootstrap) {
    return KafkaProducer.create(
        vertx,
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "key.serializer",
            StringSerializer.class.getName(),
            "value.serializer",
            StringSerializer.class.getName(),
            "acks",
            "all"));
  }

  /**
   * The first {@code count} records of the topic, read by a new consumer group from the earliest
   * offset.
   */
  private static Future<List<KafkaConsumerRecord<String, String>>> consume(
      Vertx vertx, String bootstrap, String topic, int count) {
    KafkaConsumer<String, String> consumer =
        KafkaConsumer.create(
            vertx,
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "group.id",
                "it-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "enable.auto.commit",
                "false",
                "key.deserializer",
                StringDeserializer.class.getName(),
                "value.deserializer",
                StringDeserializer.class.getName()));
    Promise<List<KafkaConsumerRecord<String, String>>> received = Promise.promise();
    List<KafkaConsumerRecord<String, String>> records = new ArrayList<>();
    consumer.exceptionHandler(received::tryFail);
    consumer.handler(
        record -> {
          records.add(record);
          if (records.size() == count) {
            received.tryComplete(List.copyOf(records));
          }
        });
    consumer.subscribe(topic).onFailure(received::tryFail);
    return received.future().eventually(consumer::close);
  }

  private static void twice(Runnable hook) {
    hook.run();
    hook.run();
  }

  /** Nothing listens on the address of {@code uri} (scheme://[user@]host:port...). */
  private static void assertRefused(String uri) {
    URI address = URI.create(uri);
    assertThrows(
        ConnectException.class,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 1_000);
          }
        },
        uri + " still accepts connections");
  }

  private static boolean fails(Future<?> call) {
    Boolean failed = Await.result(call.transform(done -> Future.succeededFuture(done.failed())));
    return failed;
  }

  private static void awaitPhase(VertxTestContext phase) throws Throwable {
    assertTrue(phase.awaitCompletion(60, TimeUnit.SECONDS), "timed out");
    if (phase.failed()) {
      throw phase.causeOfFailure();
    }
  }
}
