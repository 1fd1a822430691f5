package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import domain.IdempotencyKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import store.PgPools;
import support.ApiClients;
import support.Await;
import support.Lanes;
import support.Seeds;
import support.ServiceProcess;
import support.TestInfra;

/**
 * Money moves once however often a client retries: 1,000 transfers, each sent three times at once
 * with the same Idempotency-Key by three clients of their own (as a client library retries a
 * timed-out call), each client retrying until it gets an answer. The balances and the ledger's
 * transactions equal an oracle of 1,000 transfers, every answer to one key is the same body, and at
 * most one of them is not marked a replay. Run once as is and once with the service JVM killed
 * (kill -9) in the middle and started again, the clients retrying through the outage.
 */
@Tag("fault")
class TransferRetryStormTest {
  private static final int TRANSFERS = 1_000;
  private static final int SENDS_PER_TRANSFER = 3;
  private static final int ACCOUNTS = 20;
  private static final int LANES = 16;
  private static final Duration STORM = Duration.ofMinutes(5);

  /** One transfer of the oracle, with the key its three sends share. */
  private record Transfer(String key, String sender, String receiver, BigDecimal amount) {
    JsonObject body() {
      return new JsonObject()
          .put("sender_account_id", sender)
          .put("receiver_account_id", receiver)
          .put("amount", amount.toPlainString());
    }
  }

  /** What one send was finally answered. */
  private record Answer(int status, JsonObject body, boolean replayed) {}

  @ParameterizedTest(name = "kill -9 in the middle: {0}")
  @ValueSource(booleans = {false, true})
  void everyTransferMovesMoneyOnceHoweverOftenItIsSent(boolean killMidway) {
    Random random = new Random(Seeds.seed());
    String run = "STORM" + Integer.toHexString(random.nextInt());
    List<String> accounts = IntStream.range(0, ACCOUNTS).mapToObj(i -> run + "-" + i).toList();
    List<Transfer> transfers =
        IntStream.range(0, TRANSFERS)
            .mapToObj(
                i -> {
                  int sender = random.nextInt(ACCOUNTS);
                  int receiver = (sender + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                  return new Transfer(
                      UUID.randomUUID().toString(),
                      accounts.get(sender),
                      accounts.get(receiver),
                      BigDecimal.valueOf(1 + random.nextInt(10_000), 2));
                })
            .toList();
    Map<String, String> settings =
        Map.of(
            ConfigKeys.ROLES,
            "api,ledger",
            // raised, the limiter still in the chain: 3,000 sends and their retries come from one
            // address
            ConfigKeys.RATE_LIMIT_PER_SECOND,
            "1000000",
            ConfigKeys.RATE_LIMIT_BURST,
            "1000000");
    ServiceProcess[] service = {ServiceProcess.start("retry-storm-" + killMidway, settings)};
    int port = service[0].httpPort();
    Vertx vertx = Vertx.vertx();
    Pool pg = PgPools.create(vertx, TestInfra.config());
    List<WebClient> clients =
        IntStream.range(0, SENDS_PER_TRANSFER)
            .mapToObj(
                i ->
                    TestInfra.withToken(
                        ApiClients.webClient(
                            vertx,
                            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                            new PoolOptions().setHttp1MaxSize(LANES)),
                        TestInfra.bearer(vertx, "storm-client", TestInfra.OPERATOR_SCOPES)))
            .toList();
    try {
      for (String account : accounts) {
        JsonObject seeded =
            send(
                    clients.get(0),
                    "/api/v1/blockchain/seed-balance",
                    UUID.randomUUID().toString(),
                    new JsonObject().put("account_id", account).put("amount", "1000000"))
                .bodyAsJsonObject();
        assertEquals(account, seeded.getJsonObject("transaction").getString("receiver_account_id"));
      }
      AtomicInteger sent = new AtomicInteger();
      Promise<Void> halfway = Promise.promise();
      List<Future<List<Answer>>> answers = new ArrayList<>();
      Future<Void> storm =
          Lanes.run(
              transfers,
              LANES,
              transfer -> {
                List<Future<Answer>> three =
                    clients.stream().map(client -> send(vertx, client, transfer)).toList();
                Future<List<Answer>> all =
                    Future.all(three).map(done -> three.stream().map(Future::result).toList());
                answers.add(all);
                if (sent.incrementAndGet() == TRANSFERS / 3) {
                  halfway.tryComplete();
                }
                return all;
              });
      if (killMidway) {
        Await.result(halfway.future(), STORM);
        service[0].kill();
        // restarted where the clients send: the port the killed JVM bound
        service[0] = ServiceProcess.start("retry-storm-restarted", onPort(settings, port));
      }
      Await.result(storm, STORM);

      for (int i = 0; i < TRANSFERS; i++) {
        List<Answer> three = answers.get(i).result();
        Transfer transfer = transfers.get(i);
        three.forEach(answer -> assertEquals(201, answer.status(), () -> transfer + ": " + answer));
        assertTrue(
            three.stream().allMatch(answer -> answer.body().equals(three.get(0).body())),
            () -> transfer + ": the three answers differ: " + three);
        assertTrue(
            three.stream().filter(answer -> !answer.replayed()).count() <= 1,
            () -> transfer + ": more than one answer was not a replay: " + three);
      }
      assertEquals(
          TRANSFERS,
          count(
              pg,
              "SELECT count(*) FROM ledger_transactions WHERE sender_account_id LIKE $1",
              run + "-%"),
          "one ledger transaction per transfer");
      Map<String, BigDecimal> oracle = oracle(accounts, transfers);
      for (String account : accounts) {
        BigDecimal stored =
            Await.result(
                    pg.preparedQuery("SELECT amount FROM ledger_balances WHERE account_id = $1")
                        .execute(Tuple.of(account)))
                .iterator()
                .next()
                .getBigDecimal(0);
        assertEquals(
            0,
            oracle.get(account).compareTo(stored),
            account + ": oracle " + oracle.get(account) + ", stored " + stored);
      }
      LoggerFactory.getLogger(TransferRetryStormTest.class)
          .info(
              "{} transfers sent {} times each{}: balances and " + "transactions equal the oracle",
              TRANSFERS,
              SENDS_PER_TRANSFER,
              killMidway ? ", the service killed midway" : "");
    } finally {
      service[0].close();
      clients.forEach(WebClient::close);
      Await.result(pg.close());
      Await.result(vertx.close());
    }
  }

  private static Map<String, String> onPort(Map<String, String> settings, int port) {
    Map<String, String> restarted = new HashMap<>(settings);
    restarted.put(ConfigKeys.HTTP_PORT, Integer.toString(port));
    return restarted;
  }

  /** Each account's million, less what it sent, plus what it received. */
  private static Map<String, BigDecimal> oracle(List<String> accounts, List<Transfer> transfers) {
    Map<String, BigDecimal> balances = new HashMap<>();
    accounts.forEach(account -> balances.put(account, new BigDecimal("1000000")));
    for (Transfer transfer : transfers) {
      balances.merge(transfer.sender(), transfer.amount().negate(), BigDecimal::add);
      balances.merge(transfer.receiver(), transfer.amount(), BigDecimal::add);
    }
    return balances;
  }

  /**
   * One client's send of a transfer, retried until it gets an answer (not a refused connection, not
   * a 503).
   */
  private static Future<Answer> send(Vertx vertx, WebClient client, Transfer transfer) {
    return client
        .post("/api/v1/blockchain/transfers")
        .putHeader(IdempotencyKey.HEADER, transfer.key())
        .timeout(10_000)
        .sendJsonObject(transfer.body())
        .compose(
            response ->
                response.statusCode() == 503
                    ? Future.failedFuture("503")
                    : Future.succeededFuture(
                        new Answer(
                            response.statusCode(),
                            response.bodyAsJsonObject(),
                            "true".equals(response.getHeader("Idempotent-Replayed")))))
        .recover(unanswered -> vertx.timer(100).compose(retry -> send(vertx, client, transfer)));
  }

  private static HttpResponse<Buffer> send(
      WebClient client, String path, String key, JsonObject body) {
    HttpResponse<Buffer> response =
        Await.result(client.post(path).putHeader(IdempotencyKey.HEADER, key).sendJsonObject(body));
    assertEquals(201, response.statusCode(), response::bodyAsString);
    return response;
  }

  private static long count(Pool pg, String sql, String pattern) {
    return Await.result(pg.preparedQuery(sql).execute(Tuple.of(pattern)))
        .iterator()
        .next()
        .getLong(0);
  }
}
