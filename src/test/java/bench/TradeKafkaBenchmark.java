package bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import contract.Topics;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import store.PgPools;
import support.Await;
import support.KafkaTestClient;
import support.TestInfra;
import verticles.TradeConsumerVerticle;

/**
 * Kafka {@code trades} → PostgreSQL: N trades produced as fast as the producer goes, timed from the
 * first send until the database holds the final state of every id; once with unique ids, once with
 * a fifth of the messages repeating earlier ids with rising versions. Baseline in the same run:
 * {@code COPY} of the same rows into an empty table with the same indexes, the database's bulk-load
 * ceiling.
 */
@Tag("benchmark")
class TradeKafkaBenchmark {
  private static final int TRADES = Integer.getInteger("bench.kafkaTrades", 200_000);
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  /** One message: id, version. */
  private record Revision(String id, int version) {}

  @Test
  void kafkaIngestAgainstCopy() throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pg = PgPools.create(vertx, TestInfra.config());
    String bootstrap = TestInfra.config().getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    try (KafkaTestClient admin = new KafkaTestClient(vertx, bootstrap);
        KafkaProducer<String, String> producer = producer(bootstrap);
        Connection jdbc = jdbc()) {
      admin.createTopic(Topics.TRADES, 3);
      Bench.Service service = Bench.startService("kafka", "trades,trade-consumer,audit", "kafka");
      try {
        jdbc.createStatement()
            .execute("CREATE TABLE IF NOT EXISTS bench_copy (LIKE trades INCLUDING ALL)");
        truncate(pg);
        Bench.progress("Kafka warm-up: 50,000 trades");
        ingest(pg, producer, admin, messages("kwarm", 50_000, 0, new Random(1)));
        measure("Kafka trades -> PostgreSQL, unique ids", 0, service, pg, producer, admin, jdbc);
        measure(
            "Kafka trades -> PostgreSQL, 20% repeated ids",
            0.2, service, pg, producer, admin, jdbc);
      } finally {
        service.close();
      }
    } finally {
      Await.result(pg.close());
      Await.result(vertx.close());
    }
  }

  private static void measure(
      String workload,
      double repeats,
      Bench.Service service,
      Pool pg,
      KafkaProducer<String, String> producer,
      KafkaTestClient admin,
      Connection jdbc)
      throws SQLException {
    List<Double> rates = new ArrayList<>();
    List<Double> copies = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    for (int run = 1; run <= Bench.RUNS; run++) {
      List<Revision> messages =
          messages("K" + run + (repeats > 0 ? "r" : "u"), TRADES, repeats, new Random(run));
      truncate(pg);
      Bench.CpuWindow window = new Bench.CpuWindow(service.process());
      rates.add(ingest(pg, producer, admin, messages));
      cpu.add(window.cores());
      copies.add(copy(jdbc, messages));
      Bench.progress(
          String.format(
              "%s run %d: %.0f trades/s stored, COPY %.0f rows/s",
              workload, run, rates.get(rates.size() - 1), copies.get(copies.size() - 1)));
    }
    double ratio = Bench.median(rates) / Bench.median(copies);
    new BenchRow(
            workload,
            Bench.median(rates),
            "messages/s",
            Double.NaN,
            Double.NaN,
            Double.NaN,
            0,
            Bench.median(cpu),
            Bench.mb(service.process().peakRssBytes()),
            "COPY of the same rows into a table with the same indexes (rows/s)",
            Bench.median(copies),
            ratio,
            ">= 0.5x COPY",
            ratio >= 0.5,
            rates,
            TRADES
                + " messages per run, 3 partitions, keyed by trade id; timed from the first send to"
                + " the final state (every id at its highest version) in PostgreSQL; audit on")
        .write();
  }

  /**
   * Ids {@code <prefix>-<n>}; with {@code repeats}, that share of messages revisits an earlier id
   * at a higher version.
   */
  private static List<Revision> messages(String prefix, int count, double repeats, Random random) {
    List<Revision> messages = new ArrayList<>(count);
    List<int[]> versions = new ArrayList<>(); // per id: its last version
    for (int i = 0; i < count; i++) {
      if (!versions.isEmpty() && random.nextDouble() < repeats) {
        int id = random.nextInt(versions.size());
        messages.add(new Revision(prefix + "-" + id, ++versions.get(id)[0]));
      } else {
        messages.add(new Revision(prefix + "-" + versions.size(), 1));
        versions.add(new int[] {1});
      }
    }
    return messages;
  }

  /**
   * @return messages per second, from the first send until the consumer committed the last offset
   *     (offsets are committed only after the database commit); then the stored state is checked
   *     once, so polling does not load the database while it is measured
   */
  private static double ingest(
      Pool pg,
      KafkaProducer<String, String> producer,
      KafkaTestClient admin,
      List<Revision> messages) {
    String prefix = messages.get(0).id().substring(0, messages.get(0).id().indexOf('-') + 1);
    long ids = messages.stream().map(Revision::id).distinct().count();
    long versions =
        messages.stream()
            .collect(java.util.stream.Collectors.toMap(Revision::id, Revision::version, Math::max))
            .values()
            .stream()
            .mapToLong(Integer::longValue)
            .sum();
    long started = System.nanoTime();
    for (Revision m : messages) {
      producer.send(new ProducerRecord<>(Topics.TRADES, m.id(), json(m)));
    }
    producer.flush();
    admin.awaitCaughtUp(TradeConsumerVerticle.GROUP, List.of(Topics.TRADES), DEADLINE);
    double rate = messages.size() / ((System.nanoTime() - started) / 1e9);
    Row row =
        Await.result(
                pg.preparedQuery(
                        "SELECT count(*), coalesce(sum(version), 0) FROM trades WHERE trade_id LIKE"
                            + " $1")
                    .execute(Tuple.of(prefix + "%")))
            .iterator()
            .next();
    assertEquals(
        ids + "/" + versions,
        row.getLong(0) + "/" + row.getLong(1),
        prefix + ": every id stored at its final version (count/sum of versions)");
    return rate;
  }

  /**
   * @return rows per second of one COPY of the same rows (last version per id) into an empty copy
   *     of trades
   */
  private static double copy(Connection jdbc, List<Revision> messages) throws SQLException {
    jdbc.createStatement().execute("TRUNCATE bench_copy");
    StringBuilder csv = new StringBuilder();
    LocalDate today = LocalDate.now();
    for (Revision m : messages) {
      csv.append(m.id())
          .append('-')
          .append(m.version())
          .append(',')
          .append(m.version())
          .append(",CP-1,B1,2099-12-31,")
          .append(today)
          .append(",false,now\n");
    }
    long started = System.nanoTime();
    try {
      jdbc.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY bench_copy (trade_id, version, counter_party_id, book_id, "
                  + "maturity_date, created_date, expired, last_updated) FROM STDIN (FORMAT csv)",
              new StringReader(csv.toString()));
    } catch (java.io.IOException e) {
      throw new SQLException(e);
    }
    double rate = messages.size() / ((System.nanoTime() - started) / 1e9);
    assertEquals(messages.size(), count(jdbc), "COPY stored every row");
    return rate;
  }

  private static long count(Connection jdbc) throws SQLException {
    try (var rows = jdbc.createStatement().executeQuery("SELECT count(*) FROM bench_copy")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String json(Revision m) {
    return "{\"trade_id\":\""
        + m.id()
        + "\",\"version\":"
        + m.version()
        + ",\"counter_party_id\":\"CP-1\",\"book_id\":\"B1\",\"maturity_date\":\"2099-12-31\"}";
  }

  private static void truncate(Pool pg) {
    Await.result(pg.query("TRUNCATE trades").execute());
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            "bootstrap.servers",
            bootstrap,
            "acks",
            "all",
            "linger.ms",
            "5",
            "batch.size",
            "262144",
            "key.serializer",
            StringSerializer.class.getName(),
            "value.serializer",
            StringSerializer.class.getName()));
    return new KafkaProducer<>(props);
  }

  private static Connection jdbc() throws SQLException {
    String uri = TestInfra.config().getString(ConfigKeys.PG_URI);
    java.net.URI parsed = java.net.URI.create(uri.replaceFirst("^postgres(ql)?", "http"));
    String user = parsed.getUserInfo() == null ? "postgres" : parsed.getUserInfo().split(":")[0];
    return DriverManager.getConnection(
        "jdbc:postgresql://" + parsed.getHost() + ":" + parsed.getPort() + parsed.getPath(),
        user,
        parsed.getUserInfo() != null && parsed.getUserInfo().contains(":")
            ? parsed.getUserInfo().split(":")[1]
            : "");
  }
}
