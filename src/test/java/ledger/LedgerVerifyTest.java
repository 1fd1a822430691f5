package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import domain.BlockHash;
import domain.ChainTransaction;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.ServiceUnderTest;

/**
 * GET /blocks/verify recomputes the chain from the stored rows, checks the ledger's signature on
 * every block, and names the first row altered behind its back, even by someone who recomputed
 * every hash after it.
 */
@Tag("integration")
class LedgerVerifyTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api,ledger"));

  private static Ledger ledger;

  @BeforeAll
  static void deploy() {
    ledger = new Ledger(service);
  }

  /** A fresh transfer (after a seed), and the block index it sits in. */
  private static JsonObject transfer() {
    String from = Ledger.account("verify-from");
    ledger.seed(from, "100");
    return ledger.transfer(from, Ledger.account("verify-to"), "40").bodyAsJsonObject();
  }

  @Test
  void anUntouchedChainIsIntact() {
    transfer();
    JsonObject verified = ledger.verify();
    assertEquals(true, verified.getBoolean("intact"), verified::encodePrettily);
    assertEquals(ledger.headIndex() + 1, verified.getLong("blocks_checked"));
    assertEquals(ledger.headIndex(), verified.getJsonObject("head").getLong("index"));
    assertEquals(null, verified.getValue("broken_link"));
  }

  @Test
  void anAmountChangedInSqlIsNamed() {
    JsonObject transfer = transfer();
    long index = transfer.getJsonObject("block").getLong("index");
    UUID txId = UUID.fromString(transfer.getJsonObject("transaction").getString("tx_id"));
    service.sql("UPDATE ledger_transactions SET amount = amount + 1000 WHERE tx_id = $1", txId);
    try {
      JsonObject broken = brokenLink();
      assertEquals(index, broken.getLong("block_index"));
      assertEquals("hash", broken.getString("field"));
      assertEquals(transfer.getJsonObject("block").getString("hash"), broken.getString("actual"));
    } finally {
      service.sql("UPDATE ledger_transactions SET amount = amount - 1000 WHERE tx_id = $1", txId);
    }
    assertEquals(true, ledger.verify().getBoolean("intact"), "intact again once restored");
  }

  @Test
  void aBlockHashChangedInSqlIsNamed() {
    long index = transfer().getJsonObject("block").getLong("index");
    String stored =
        service
            .sql("SELECT hash FROM ledger_blocks WHERE block_index = $1", index)
            .iterator()
            .next()
            .getString(0);
    service.sql("UPDATE ledger_blocks SET hash = $2 WHERE block_index = $1", index, "f".repeat(64));
    try {
      JsonObject broken = brokenLink();
      assertEquals(index, broken.getLong("block_index"));
      assertEquals("hash", broken.getString("field"));
      assertEquals(stored, broken.getString("expected"));
      assertEquals("f".repeat(64), broken.getString("actual"));
    } finally {
      service.sql("UPDATE ledger_blocks SET hash = $2 WHERE block_index = $1", index, stored);
    }
    assertEquals(true, ledger.verify().getBoolean("intact"), "intact again once restored");
  }

  @Test
  void aBrokenLinkToThePreviousBlockIsNamed() {
    transfer();
    long index = transfer().getJsonObject("block").getLong("index");
    String stored =
        service
            .sql("SELECT previous_hash FROM ledger_blocks WHERE block_index = $1", index)
            .iterator()
            .next()
            .getString(0);
    service.sql(
        "UPDATE ledger_blocks SET previous_hash = $2 WHERE block_index = $1",
        index,
        "0".repeat(64));
    try {
      JsonObject broken = brokenLink();
      assertEquals(index, broken.getLong("block_index"));
      assertEquals("previous_hash", broken.getString("field"));
      assertEquals(stored, broken.getString("expected"));
    } finally {
      service.sql(
          "UPDATE ledger_blocks SET previous_hash = $2 WHERE block_index = $1", index, stored);
    }
  }

  /**
   * The database owner's forgery: an old transfer's amount rewritten, and every block from it to
   * the head resealed (hashes and links recomputed, the head moved), as anyone who can write the
   * tables can do. Only the signatures, which need the key kept outside the database, give it away,
   * at the first forged block.
   */
  @Test
  void aChainRewrittenWithEveryHashRecomputedIsCaughtByTheSignatureOfTheFirstForgedBlock() {
    JsonObject old = transfer();
    transfer();
    transfer();
    long forged = old.getJsonObject("block").getLong("index");
    UUID txId = UUID.fromString(old.getJsonObject("transaction").getString("tx_id"));
    List<Object[]> originals = new ArrayList<>();
    service
        .sql(
            "SELECT block_index, previous_hash, hash FROM ledger_blocks WHERE block_index >= $1"
                + " ORDER BY block_index",
            forged)
        .forEach(
            row ->
                originals.add(new Object[] {row.getLong(0), row.getString(1), row.getString(2)}));
    String head = service.sql("SELECT hash FROM ledger_head").iterator().next().getString(0);
    service.sql("UPDATE ledger_transactions SET amount = amount + 1000 WHERE tx_id = $1", txId);
    try {
      reseal(forged);
      JsonObject broken = brokenLink();
      assertEquals(forged, broken.getLong("block_index"), broken::encodePrettily);
      assertEquals("signature", broken.getString("field"));
    } finally {
      service.sql("UPDATE ledger_transactions SET amount = amount - 1000 WHERE tx_id = $1", txId);
      originals.forEach(
          block ->
              service.sql(
                  "UPDATE ledger_blocks SET previous_hash = $2, hash = $3 "
                      + "WHERE block_index = $1",
                  block));
      service.sql("UPDATE ledger_head SET hash = $1", head);
    }
    assertEquals(true, ledger.verify().getBoolean("intact"), "intact again once restored");
  }

  /**
   * Recomputes the hash of every block from {@code from} to the head, each linked to the one
   * before, as a forger would.
   */
  private static void reseal(long from) {
    String previous =
        service
            .sql("SELECT hash FROM ledger_blocks WHERE block_index = $1", from - 1)
            .iterator()
            .next()
            .getString(0);
    String hash = previous;
    for (long index = from; index <= ledger.headIndex(); index++) {
      Instant sealed =
          service
              .sql("SELECT created_at FROM ledger_blocks WHERE block_index = $1", index)
              .iterator()
              .next()
              .getOffsetDateTime(0)
              .toInstant();
      List<ChainTransaction> transactions = new ArrayList<>();
      service
          .sql(
              "SELECT tx_id, sender_account_id, receiver_account_id, amount, currency FROM"
                  + " ledger_transactions WHERE block_index = $1 ORDER BY position",
              index)
          .forEach(
              row ->
                  transactions.add(
                      new ChainTransaction(
                          row.getUUID(0),
                          row.getString(1),
                          row.getString(2),
                          row.getBigDecimal(3),
                          row.getString(4))));
      hash = BlockHash.of(index, previous, sealed, transactions);
      service.sql(
          "UPDATE ledger_blocks SET previous_hash = $2, hash = $3 WHERE block_index = $1",
          index,
          previous,
          hash);
      previous = hash;
    }
    service.sql("UPDATE ledger_head SET hash = $1", hash);
  }

  private static JsonObject brokenLink() {
    JsonObject verified = ledger.verify();
    assertEquals(false, verified.getBoolean("intact"), verified::encodePrettily);
    return verified.getJsonObject("broken_link");
  }
}
