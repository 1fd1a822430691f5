package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import support.Await;
import support.ServiceUnderTest;

/**
 * Hundreds of transfers at once over REST, among a few accounts with limited balances: the final
 * balances equal the oracle built from the successful replies, money is conserved, no balance goes
 * negative, every reply agrees with one serial order (the block order), and the chain verifies
 * afterwards.
 */
@Tag("integration")
class LedgerConcurrencyTest {
  private static final Duration STORM = Duration.ofSeconds(120);

  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api,ledger"));

  private static Ledger ledger;

  /** A transfer as sent, and its reply. */
  private record Sent(
      String sender, String receiver, BigDecimal amount, HttpResponse<Buffer> reply) {
    boolean settled() {
      return reply.statusCode() == 201;
    }

    long blockIndex() {
      return reply.bodyAsJsonObject().getJsonObject("block").getLong("index");
    }
  }

  @BeforeAll
  static void deploy() {
    ledger = new Ledger(service);
  }

  @Test
  void concurrentTransfersEqualTheOracleAndTheChainVerifies() {
    Map<String, BigDecimal> start = new HashMap<>();
    List.of("100", "60", "25", "5")
        .forEach(amount -> start.put(Ledger.account("storm"), new BigDecimal(amount)));
    start.forEach(
        (account, amount) ->
            assertEquals(201, ledger.seed(account, amount.toPlainString()).statusCode()));
    List<String> accounts = List.copyOf(start.keySet());

    Random random = new Random(13);
    long started = System.nanoTime();
    List<Future<Sent>> storm =
        IntStream.range(0, 400)
            .mapToObj(
                i -> {
                  String sender = accounts.get(random.nextInt(accounts.size()));
                  String receiver =
                      accounts.stream()
                          .filter(a -> !a.equals(sender))
                          .toList()
                          .get(random.nextInt(accounts.size() - 1));
                  // every 40th asks for more money than exists: it must fail whatever the order
                  BigDecimal amount =
                      i % 40 == 0
                          ? new BigDecimal("1000")
                          : BigDecimal.valueOf(1 + random.nextInt(2000), 2);
                  return ledger
                      .transferAsync(sender, receiver, amount.toPlainString())
                      .map(reply -> new Sent(sender, receiver, amount, reply));
                })
            .toList();
    Await.result(Future.join(storm), STORM);
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    List<Sent> sent = storm.stream().map(Future::result).toList();

    List<Sent> settled = sent.stream().filter(Sent::settled).toList();
    List<Sent> refused = sent.stream().filter(s -> s.reply().statusCode() == 422).toList();
    assertEquals(
        sent.size(),
        settled.size() + refused.size(),
        () ->
            "only 201 and 422: "
                + sent.stream()
                    .filter(s -> !s.settled() && s.reply().statusCode() != 422)
                    .map(s -> s.reply().bodyAsString())
                    .distinct()
                    .limit(5)
                    .toList());
    assertTrue(
        refused.size() >= 10,
        "the ten oversized transfers at least are refused: " + refused.size());
    assertTrue(settled.size() > 50, "settled: " + settled.size());
    refused.forEach(
        s -> assertEquals("INSUFFICIENT_FUNDS", s.reply().bodyAsJsonObject().getString("error")));
    LoggerFactory.getLogger(LedgerConcurrencyTest.class)
        .info(
            "{} transfers in {} ms: {} settled, {} refused for insufficient funds",
            sent.size(),
            elapsedMs,
            settled.size(),
            refused.size());

    Map<String, BigDecimal> oracle = new HashMap<>(start);
    settled.forEach(
        s -> {
          oracle.merge(s.sender(), s.amount().negate(), BigDecimal::add);
          oracle.merge(s.receiver(), s.amount(), BigDecimal::add);
        });
    for (String account : accounts) {
      assertAmount(oracle.get(account), ledger.storedBalance(account), account + " in PostgreSQL");
      assertAmount(oracle.get(account), ledger.balance(account), account + " through the API");
      assertTrue(ledger.storedBalance(account).signum() >= 0, account + " never negative");
    }
    assertAmount(
        start.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add),
        accounts.stream().map(ledger::storedBalance).reduce(BigDecimal.ZERO, BigDecimal::add),
        "money is conserved");
    assertEquals(
        settled.size(),
        service
            .sql(
                "SELECT count(*) FROM ledger_transactions WHERE sender_account_id = ANY($1)",
                (Object) accounts.toArray(String[]::new))
            .iterator()
            .next()
            .getLong(0),
        "one transaction row per settled transfer");

    assertRepliesFollowTheBlockOrder(start, settled);
    JsonObject verified = ledger.verify();
    assertEquals(true, verified.getBoolean("intact"), verified::encodePrettily);
    assertEquals(ledger.headIndex() + 1, verified.getLong("blocks_checked"));
  }

  /** One account holding 10 and sixty concurrent spends of 1 from it: exactly ten go through. */
  @Test
  void concurrentSpendsFromOneAccountNeverDoubleSpend() {
    String spender = Ledger.account("spender");
    List<String> payees = IntStream.range(0, 3).mapToObj(i -> Ledger.account("payee")).toList();
    assertEquals(201, ledger.seed(spender, "10").statusCode());

    List<Future<HttpResponse<Buffer>>> spends =
        IntStream.range(0, 60)
            .mapToObj(i -> ledger.transferAsync(spender, payees.get(i % payees.size()), "1"))
            .toList();
    Await.result(Future.join(spends), STORM);

    assertEquals(10, spends.stream().filter(f -> f.result().statusCode() == 201).count());
    assertEquals(50, spends.stream().filter(f -> f.result().statusCode() == 422).count());
    assertEquals(0, ledger.storedBalance(spender).signum());
    assertAmount(
        BigDecimal.TEN,
        payees.stream().map(ledger::storedBalance).reduce(BigDecimal.ZERO, BigDecimal::add),
        "the payees got exactly what left");
  }

  /**
   * Replaying the settled transfers in block order from the starting balances gives, step by step,
   * the balances each reply reported: the transfers behaved as if applied one at a time in that
   * order.
   */
  private static void assertRepliesFollowTheBlockOrder(
      Map<String, BigDecimal> start, List<Sent> settled) {
    List<Sent> inBlockOrder = new ArrayList<>(settled);
    inBlockOrder.sort(Comparator.comparingLong(Sent::blockIndex));
    assertEquals(
        settled.size(),
        inBlockOrder.stream().mapToLong(Sent::blockIndex).distinct().count(),
        "a block each");
    Map<String, BigDecimal> replay = new HashMap<>(start);
    for (Sent s : inBlockOrder) {
      BigDecimal sender = replay.merge(s.sender(), s.amount().negate(), BigDecimal::add);
      BigDecimal receiver = replay.merge(s.receiver(), s.amount(), BigDecimal::add);
      JsonObject body = s.reply().bodyAsJsonObject();
      assertAmount(
          sender,
          new BigDecimal(body.getString("sender_balance")),
          "sender after block " + s.blockIndex());
      assertAmount(
          receiver,
          new BigDecimal(body.getString("receiver_balance")),
          "receiver after block " + s.blockIndex());
    }
  }

  private static void assertAmount(BigDecimal expected, BigDecimal actual, String what) {
    assertEquals(
        0, expected.compareTo(actual), () -> what + ": expected " + expected + ", got " + actual);
  }
}
