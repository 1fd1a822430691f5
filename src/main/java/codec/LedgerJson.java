package codec;

import domain.Block;
import domain.BlockHash;
import domain.ChainCheck;
import domain.ChainTransaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * The JSON of the settlement ledger: REST bodies and the {@code ledger.*} bus messages. Amounts are
 * strings in the hash's written form ({@link BlockHash#amount}), so no digit is lost to a double;
 * timestamps are the hash's too.
 */
public final class LedgerJson {
  /**
   * On a {@code ledger.transfer} message: the customer whose accounts the caller may move money out
   * of (null: any).
   */
  public static final String OWNER = "owner";

  private LedgerJson() {}

  /** A transaction, and the block it sits in when known (null while it is a request on the bus). */
  public static JsonObject toJson(ChainTransaction tx, Long blockIndex) {
    JsonObject json =
        new JsonObject()
            .put("tx_id", tx.txId().toString())
            .put("kind", tx.kind().name())
            .put("sender_account_id", tx.senderAccountId())
            .put("receiver_account_id", tx.receiverAccountId())
            .put("amount", BlockHash.amount(tx.amount()))
            .put("currency", tx.currency());
    return blockIndex == null ? json : json.put("block_index", blockIndex);
  }

  /**
   * Decodes a transaction this service encoded itself (trusted); untrusted input goes through
   * LedgerRequests.
   */
  public static ChainTransaction transactionFromJson(JsonObject json) {
    return new ChainTransaction(
        UUID.fromString(json.getString("tx_id")),
        json.getString("sender_account_id"),
        json.getString("receiver_account_id"),
        new BigDecimal(json.getString("amount")),
        json.getString("currency"));
  }

  /**
   * The block's own fields, as listed by {@code GET /blocks}, with the ledger's signature of its
   * hash: an auditor who keeps the signed heads can later tell a rewritten chain from the one that
   * was signed.
   */
  public static JsonObject header(Block block) {
    return new JsonObject()
        .put("index", block.index())
        .put("hash", block.hash())
        .put("previous_hash", block.previousHash())
        .put("timestamp", BlockHash.timestamp(block.timestamp()))
        .put("transaction_count", block.transactions().size())
        .put("signature", block.signature());
  }

  /** The block with its transactions, as {@code GET /blocks/{index}} answers. */
  public static JsonObject withTransactions(Block block) {
    return header(block)
        .put(
            "transactions",
            new JsonArray(
                block.transactions().stream().map(tx -> toJson(tx, block.index())).toList()));
  }

  public static JsonObject toJson(ChainCheck.BrokenLink link) {
    return new JsonObject()
        .put("block_index", link.blockIndex())
        .put("field", link.field())
        .put("expected", link.expected())
        .put("actual", link.actual())
        .put("message", link.message());
  }
}
