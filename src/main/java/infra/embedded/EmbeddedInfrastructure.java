package infra.embedded;

import infra.Infrastructure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real servers inside (or as children of) this JVM, for dev mode and tests: PostgreSQL 15 (zonky),
 * Kafka 3.9 (KRaft), a MongoDB stand-in (mongo-java-server) and Redis (Debian's redis-server). All
 * listen on 127.0.0.1 only. Callers must {@link #close()} it (e.g. from a shutdown hook): Redis and
 * PostgreSQL are child processes.
 */
public final class EmbeddedInfrastructure implements Infrastructure {
  /** Where the servers keep their files; default "target/embedded". */
  public static final String EMBEDDED_DATA_DIR = "EMBEDDED_DATA_DIR";

  /** Kafka's client port; default 0 = any free port. */
  public static final String EMBEDDED_KAFKA_PORT = "EMBEDDED_KAFKA_PORT";

  /** PostgreSQL's port; default 0 = any free port. */
  public static final String EMBEDDED_PG_PORT = "EMBEDDED_PG_PORT";

  /** true = keep PostgreSQL and Kafka data between runs; default false = wipe it at every start. */
  public static final String EMBEDDED_KEEP_DATA = "EMBEDDED_KEEP_DATA";

  /**
   * true = PostgreSQL runs with fsync on, as a production server does; default false (faster
   * tests).
   */
  public static final String EMBEDDED_PG_DURABLE = "EMBEDDED_PG_DURABLE";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private final DataDirectory dataDir; // null when nothing was started
  private final boolean keepsData;
  private final EmbeddedPostgres postgres;
  private final EmbeddedKafka kafka;
  private final EmbeddedMongo mongo;
  private final EmbeddedRedis redis;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedInfrastructure(
      DataDirectory dataDir,
      boolean keepsData,
      EmbeddedPostgres postgres,
      EmbeddedKafka kafka,
      EmbeddedMongo mongo,
      EmbeddedRedis redis) {
    this.dataDir = dataDir;
    this.keepsData = keepsData;
    this.postgres = postgres;
    this.kafka = kafka;
    this.mongo = mongo;
    this.redis = redis;
  }

  /**
   * Blocking. Starts an embedded server for each of the four keys that is blank/absent in {@code
   * config} (a key that names an external server starts nothing: production points at real
   * clusters). Other config keys it reads (all optional, flat string/int keys): {@value
   * #EMBEDDED_DATA_DIR} (default "target/embedded"), {@value #EMBEDDED_KAFKA_PORT} (default 0 = any
   * free port), {@value #EMBEDDED_PG_PORT} (default 0 = any free port), {@value
   * #EMBEDDED_KEEP_DATA} (default false), {@value #EMBEDDED_PG_DURABLE} (default false). The
   * servers start in parallel. If anything fails, what was already started is stopped and the error
   * rethrown.
   */
  public static EmbeddedInfrastructure startMissing(JsonObject config) {
    boolean needPostgres = isBlank(config, PG_URI);
    boolean needKafka = isBlank(config, KAFKA_BOOTSTRAP_SERVERS);
    boolean needMongo = isBlank(config, MONGO_CONNECTION_STRING);
    boolean needRedis = isBlank(config, REDIS_CONNECTION_STRING);
    if (!needPostgres && !needKafka && !needMongo && !needRedis) {
      return new EmbeddedInfrastructure(null, false, null, null, null, null);
    }
    Path root =
        Path.of(stringValue(config, EMBEDDED_DATA_DIR, "target/embedded"))
            .toAbsolutePath()
            .normalize();
    boolean fresh = !Boolean.parseBoolean(stringValue(config, EMBEDDED_KEEP_DATA, "false"));
    int kafkaPort = intValue(config, EMBEDDED_KAFKA_PORT);
    int postgresPort = intValue(config, EMBEDDED_PG_PORT);
    boolean durable = Boolean.parseBoolean(stringValue(config, EMBEDDED_PG_DURABLE, "false"));
    DataDirectory dataDir = DataDirectory.lockFirstFree(root);
    LOG.info(
        fresh
            ? "Embedded data in {} is ephemeral: wiped at every start (set EMBEDDED_KEEP_DATA=true"
                + " to keep it)"
            : "Embedded data in {} is kept between runs (EMBEDDED_KEEP_DATA=true); MongoDB and"
                + " Redis are in memory",
        dataDir.root());

    ExecutorService executor = Executors.newFixedThreadPool(4, daemonThreads());
    try {
      CompletableFuture<EmbeddedPostgres> postgres =
          startIf(
              needPostgres,
              executor,
              () ->
                  EmbeddedPostgres.start(
                      dataDir.resolve("postgres"), postgresPort, fresh, durable));
      CompletableFuture<EmbeddedKafka> kafka =
          startIf(
              needKafka,
              executor,
              () -> EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort, fresh));
      CompletableFuture<EmbeddedMongo> mongo = startIf(needMongo, executor, EmbeddedMongo::start);
      CompletableFuture<EmbeddedRedis> redis =
          startIf(needRedis, executor, () -> EmbeddedRedis.start(dataDir.resolve("redis")));
      List<CompletableFuture<? extends AutoCloseable>> all = List.of(postgres, kafka, mongo, redis);
      try {
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
            .join(); // done when all are done
      } catch (CompletionException e) {
        throw failedStart(all, dataDir);
      }
      return new EmbeddedInfrastructure(
          dataDir, !fresh, postgres.join(), kafka.join(), mongo.join(), redis.join());
    } finally {
      executor.shutdown();
    }
  }

  @Override
  public Path dataDirectory() {
    return dataDir == null ? null : dataDir.root();
  }

  @Override
  public boolean keepsData() {
    return keepsData;
  }

  @Override
  public JsonObject connectionConfig() {
    JsonObject config = new JsonObject();
    if (postgres != null) {
      config.put(PG_URI, postgres.uri());
    }
    if (kafka != null) {
      config.put(KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    }
    if (mongo != null) {
      config.put(MONGO_CONNECTION_STRING, mongo.connectionString());
    }
    if (redis != null) {
      config.put(REDIS_CONNECTION_STRING, redis.connectionString());
    }
    return config;
  }

  @Override
  public void stopKafka() {
    fault("stop Kafka", () -> embedded(kafka, KAFKA_BOOTSTRAP_SERVERS).stopBroker());
  }

  @Override
  public void startKafka() {
    fault("start Kafka", () -> embedded(kafka, KAFKA_BOOTSTRAP_SERVERS).startBroker());
  }

  @Override
  public void stopPostgres() {
    fault("stop PostgreSQL", () -> embedded(postgres, PG_URI).stopServer());
  }

  @Override
  public void killPostgres() {
    fault("kill PostgreSQL", () -> embedded(postgres, PG_URI).killServer());
  }

  @Override
  public void startPostgres() {
    fault("start PostgreSQL", () -> embedded(postgres, PG_URI).startServer());
  }

  @Override
  public void stopRedis() {
    fault("stop Redis", () -> embedded(redis, REDIS_CONNECTION_STRING).stopServer());
  }

  @Override
  public void startRedis() {
    fault("start Redis", () -> embedded(redis, REDIS_CONNECTION_STRING).startServer());
  }

  @Override
  public void stopMongo() {
    fault("stop MongoDB", () -> embedded(mongo, MONGO_CONNECTION_STRING).stopServer());
  }

  @Override
  public void startMongo() {
    fault("start MongoDB", () -> embedded(mongo, MONGO_CONNECTION_STRING).startServer());
  }

  private interface BlockingStep {
    void run() throws Exception;
  }

  private static void fault(String what, BlockingStep step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + what, e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not " + what, e);
    }
  }

  private static <T> T embedded(T server, String key) {
    if (server == null) {
      throw new IllegalStateException("not embedded here: " + key + " names an external server");
    }
    return server;
  }

  /** Stops what this instance started; safe to call more than once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true) || dataDir == null) {
      return;
    }
    long started = System.nanoTime();
    closeQuietly("Kafka", kafka);
    closeQuietly("Redis", redis);
    closeQuietly("MongoDB", mongo);
    closeQuietly("PostgreSQL", postgres);
    closeQuietly("data directory lock", dataDir);
    LOG.info(
        "Embedded infrastructure in {} stopped in {} ms", dataDir.root(), Millis.since(started));
  }

  private static void closeQuietly(String what, AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Interrupted while stopping embedded {}", what);
    } catch (Exception e) {
      LOG.warn("Could not stop embedded {}", what, e);
    }
  }

  private static <T> CompletableFuture<T> startIf(
      boolean needed, ExecutorService executor, Callable<T> start) {
    if (!needed) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return start.call();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        },
        executor);
  }

  /**
   * Stops the servers that did start and returns the first failure, with the others as suppressed.
   */
  private static RuntimeException failedStart(
      List<CompletableFuture<? extends AutoCloseable>> all, DataDirectory dataDir) {
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<? extends AutoCloseable> future : all) {
      try {
        closeQuietly("server", future.join());
      } catch (CompletionException e) {
        failures.add(e.getCause() != null ? e.getCause() : e);
      }
    }
    closeQuietly("data directory lock", dataDir);
    Throwable first = failures.get(0);
    failures.subList(1, failures.size()).forEach(first::addSuppressed);
    if (first instanceof Error error) {
      throw error;
    }
    return first instanceof RuntimeException runtime
        ? runtime
        : new IllegalStateException(
            "Embedded infrastructure did not start: " + first.getMessage(), first);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "embedded-infra-start-" + count.incrementAndGet());
      thread.setDaemon(true); // a hung start must not keep the JVM alive
      return thread;
    };
  }

  private static boolean isBlank(JsonObject config, String key) {
    Object value = config.getValue(key);
    return value == null || value.toString().isBlank();
  }

  private static String stringValue(JsonObject config, String key, String defaultValue) {
    return isBlank(config, key) ? defaultValue : config.getValue(key).toString().trim();
  }

  private static int intValue(JsonObject config, String key) {
    Object value = config.getValue(key);
    if (value instanceof Number number) {
      return number.intValue();
    }
    return Integer.parseInt(stringValue(config, key, "0"));
  }
}
