package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.ServiceUnderTest;

/** GET /blocks/verify recomputes the chain from the stored rows and names the first row altered behind its back. */
class LedgerVerifyTest {
  private static ServiceUnderTest service;
  private static Ledger ledger;

  @BeforeAll
  static void deploy() {
    service = ServiceUnderTest.start(new JsonObject().put(ConfigKeys.ROLES, "api,ledger"));
    ledger = new Ledger(service);
  }

  @AfterAll
  static void close() {
    service.close();
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
    String stored = service.sql("SELECT hash FROM ledger_blocks WHERE block_index = $1", index).iterator().next()
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
    String stored = service.sql("SELECT previous_hash FROM ledger_blocks WHERE block_index = $1", index).iterator().next()
        .getString(0);
    service.sql("UPDATE ledger_blocks SET previous_hash = $2 WHERE block_index = $1", index, "0".repeat(64));
    try {
      JsonObject broken = brokenLink();
      assertEquals(index, broken.getLong("block_index"));
      assertEquals("previous_hash", broken.getString("field"));
      assertEquals(stored, broken.getString("expected"));
    } finally {
      service.sql("UPDATE ledger_blocks SET previous_hash = $2 WHERE block_index = $1", index, stored);
    }
  }

  private static JsonObject brokenLink() {
    JsonObject verified = ledger.verify();
    assertEquals(false, verified.getBoolean("intact"), verified::encodePrettily);
    return verified.getJsonObject("broken_link");
  }
}
