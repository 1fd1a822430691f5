package domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A block of the settlement chain: its place, the hash of the block before it, when it was sealed,
 * its transactions in order, its own hash ({@link BlockHash}), and the ledger's signature on that
 * hash ({@link HeadSignatures}; null until signed). Timestamps have PostgreSQL's precision,
 * microseconds, so a block read back hashes as it did when sealed.
 */
public record Block(
    long index,
    String previousHash,
    Instant timestamp,
    List<ChainTransaction> transactions,
    String hash,
    String signature) {

  public static final String NO_PREVIOUS_HASH = "0".repeat(64);

  /**
   * The first block: index 0, no previous block, sealed at the epoch, no transactions; the same
   * everywhere.
   */
  public static final Block GENESIS = seal(0, NO_PREVIOUS_HASH, Instant.EPOCH, List.of());

  public Block {
    transactions = List.copyOf(transactions);
  }

  public static Block seal(
      long index, String previousHash, Instant timestamp, List<ChainTransaction> transactions) {
    Instant micros = timestamp.truncatedTo(ChronoUnit.MICROS);
    return new Block(
        index,
        previousHash,
        micros,
        transactions,
        BlockHash.of(index, previousHash, micros, transactions),
        null);
  }

  /** This block, signed by the ledger's key. */
  public Block signedBy(HeadSignatures keys) {
    return new Block(index, previousHash, timestamp, transactions, hash, keys.sign(index, hash));
  }

  /** The block that follows a head of this index and hash. */
  public static Block after(
      long headIndex, String headHash, Instant timestamp, List<ChainTransaction> transactions) {
    return seal(headIndex + 1, headHash, timestamp, transactions);
  }

  /**
   * The hash its fields and transactions give now; differs from {@link #hash()} when a stored row
   * was altered.
   */
  public String recomputedHash() {
    return BlockHash.of(index, previousHash, timestamp, transactions);
  }
}
