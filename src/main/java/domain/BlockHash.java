package domain;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * The block hash: lowercase hex SHA-256 of the UTF-8 bytes of the block's canonical serialization,
 * lines joined by {@code \n} with no trailing newline:
 *
 * <pre>
 * block|{index}|{previous_hash}|{timestamp}|{transaction count}
 * tx|{tx_id}|{sender_account_id, empty for a mint}|{receiver_account_id}|{amount}|{currency}   (one per transaction, in order)
 * </pre>
 *
 * index and count in decimal; timestamp in UTC as {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'}; tx_id as
 * a lowercase UUID; amount as a plain decimal without trailing zeros or exponent ({@code 12.5},
 * {@code 100}). No field can hold {@code |} or a newline (account ids and currencies are restricted
 * by {@link LedgerRequests}), so the text is unambiguous, and {@code printf '%s' "$text" |
 * sha256sum} reproduces the hash.
 */
public final class BlockHash {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private BlockHash() {}

  public static String of(
      long index, String previousHash, Instant timestamp, List<ChainTransaction> transactions) {
    return sha256(canonical(index, previousHash, timestamp, transactions));
  }

  public static String canonical(
      long index, String previousHash, Instant timestamp, List<ChainTransaction> transactions) {
    StringBuilder text =
        new StringBuilder()
            .append("block|")
            .append(index)
            .append('|')
            .append(previousHash)
            .append('|')
            .append(timestamp(timestamp))
            .append('|')
            .append(transactions.size());
    for (ChainTransaction tx : transactions) {
      text.append("\ntx|")
          .append(tx.txId())
          .append('|')
          .append(tx.senderAccountId() == null ? "" : tx.senderAccountId())
          .append('|')
          .append(tx.receiverAccountId())
          .append('|')
          .append(amount(tx.amount()))
          .append('|')
          .append(tx.currency());
    }
    return text.toString();
  }

  public static String timestamp(Instant timestamp) {
    return TIMESTAMP.format(timestamp);
  }

  /**
   * The one written form of an amount, in hashes and in JSON: {@code 100.0000000000} is {@code
   * 100}.
   */
  public static String amount(BigDecimal amount) {
    return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
