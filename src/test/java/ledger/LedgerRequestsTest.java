package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import domain.ChainTransaction;
import domain.ErrorCode;
import domain.LedgerRequests;
import domain.ViolationException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Request bodies of the ledger: what is accepted, and which field each refusal names. */
@Tag("unit")
class LedgerRequestsTest {
  private static JsonObject transfer() {
    return new JsonObject()
        .put("sender_account_id", "ACC-1")
        .put("receiver_account_id", "ACC-2")
        .put("amount", "12.50");
  }

  private static ViolationException refused(JsonObject body) {
    return assertThrows(ViolationException.class, () -> LedgerRequests.transfer(body.getMap()));
  }

  @Test
  void aTransferDefaultsToSimCoinAndKeepsTheExactAmount() {
    ChainTransaction tx = LedgerRequests.transfer(transfer().getMap());
    assertEquals("ACC-1", tx.senderAccountId());
    assertEquals("ACC-2", tx.receiverAccountId());
    assertEquals(new BigDecimal("12.50"), tx.amount());
    assertEquals("SIM_COIN", tx.currency());
    assertEquals(ChainTransaction.Kind.TRANSFER, tx.kind());
    assertEquals(
        new BigDecimal("0.1"),
        LedgerRequests.transfer(transfer().put("amount", 0.1).getMap()).amount());
  }

  @Test
  void aSeedIsAMintWithoutSender() {
    ChainTransaction tx =
        LedgerRequests.seed(
            new JsonObject()
                .put("account_id", "ACC-1")
                .put("amount", 100)
                .put("currency", "GOLD")
                .getMap());
    assertNull(tx.senderAccountId());
    assertEquals(ChainTransaction.Kind.MINT, tx.kind());
    assertEquals("GOLD", tx.currency());
  }

  @Test
  void badFieldsAreRefusedByName() {
    assertEquals("amount", refused(transfer().put("amount", "-1")).violation().field());
    assertEquals("amount", refused(transfer().put("amount", 0)).violation().field());
    assertEquals("amount", refused(transfer().put("amount", "1.00000000001")).violation().field());
    assertEquals("amount", refused(transfer().put("amount", true)).violation().field());
    assertEquals(
        ErrorCode.MISSING_FIELD, refused(transfer().put("amount", null)).violation().code());
    assertEquals(
        "sender_account_id", refused(transfer().put("sender_account_id", 7)).violation().field());
    assertEquals(
        "sender_account_id",
        refused(transfer().put("sender_account_id", "a|b")).violation().field());
    assertEquals(
        "receiver_account_id",
        refused(transfer().put("receiver_account_id", "ACC-1")).violation().field());
    assertEquals("currency", refused(transfer().put("currency", "sim coin")).violation().field());
    assertEquals("memo", refused(transfer().put("memo", "hi")).violation().field());
  }
}
