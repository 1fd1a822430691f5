package domain;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One transaction on the settlement chain: a transfer between two accounts, or a mint (no sender)
 * that credits one, as {@code POST /api/v1/blockchain/seed-balance} does.
 *
 * @param senderAccountId null for a mint
 */
public record ChainTransaction(
    UUID txId,
    String senderAccountId,
    String receiverAccountId,
    BigDecimal amount,
    String currency) {

  public enum Kind {
    MINT,
    TRANSFER
  }

  public static ChainTransaction transfer(
      String sender, String receiver, BigDecimal amount, String currency) {
    return new ChainTransaction(UUID.randomUUID(), sender, receiver, amount, currency);
  }

  public static ChainTransaction mint(String receiver, BigDecimal amount, String currency) {
    return new ChainTransaction(UUID.randomUUID(), null, receiver, amount, currency);
  }

  public Kind kind() {
    return senderAccountId == null ? Kind.MINT : Kind.TRANSFER;
  }
}
