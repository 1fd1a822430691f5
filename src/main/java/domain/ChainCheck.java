package domain;

import java.util.Optional;

/**
 * Walks the chain block by block, in index order from genesis, and names the first broken link: a
 * block out of place (an index missing or repeated), a previous_hash that is not the stored hash of
 * the block before, a stored hash that its fields and transactions no longer give, or a signature
 * the ledger's public key does not verify (a block rewritten by someone who recomputed the hashes,
 * but cannot sign). At the end, the head row must name the last block. Feed it page after page; it
 * keeps only the last block seen.
 */
public final class ChainCheck {
  /**
   * What broke first: the block, the field that mismatched, what the chain implies and what is
   * stored.
   */
  public record BrokenLink(
      long blockIndex, String field, String expected, String actual, String message) {}

  private final HeadSignatures keys;
  private Block last;
  private long checked;

  /**
   * @param keys the ledger's public key the signatures must verify with; null checks the hashes
   *     only
   */
  public ChainCheck(HeadSignatures keys) {
    this.keys = keys;
  }

  /**
   * @return the broken link this block makes, if any; once one is found, stop feeding
   */
  public Optional<BrokenLink> check(Block block) {
    long expectedIndex = last == null ? 0 : last.index() + 1;
    String expectedPrevious = last == null ? Block.NO_PREVIOUS_HASH : last.hash();
    if (block.index() != expectedIndex) {
      return broken(
          expectedIndex,
          "block_index",
          Long.toString(expectedIndex),
          Long.toString(block.index()),
          "block " + expectedIndex + " is missing: the next stored block is " + block.index());
    }
    if (!expectedPrevious.equals(block.previousHash())) {
      return broken(
          block.index(),
          "previous_hash",
          expectedPrevious,
          block.previousHash(),
          "block " + block.index() + " does not link to the stored hash of the block before it");
    }
    String recomputed = block.recomputedHash();
    if (!recomputed.equals(block.hash())) {
      return broken(
          block.index(),
          "hash",
          recomputed,
          block.hash(),
          "block "
              + block.index()
              + ": its stored hash is not the hash of its fields and transactions (one of them was"
              + " altered)");
    }
    if (keys != null && !keys.verifies(block.index(), block.hash(), block.signature())) {
      return broken(
          block.index(),
          "signature",
          "a signature of the ledger's key",
          String.valueOf(block.signature()),
          "block "
              + block.index()
              + ": its signature is "
              + (block.signature() == null ? "missing" : "not the ledger's")
              + " (the block was forged or rewritten, and its hashes recomputed)");
    }
    last = block;
    checked++;
    return Optional.empty();
  }

  /**
   * After the last block: the chain head must be that block (else blocks were cut off the end, or
   * the head moved).
   */
  public Optional<BrokenLink> finish(long headIndex, String headHash) {
    long lastIndex = last == null ? -1 : last.index();
    String lastHash = last == null ? "" : last.hash();
    if (lastIndex != headIndex || !lastHash.equals(headHash)) {
      return broken(
          headIndex,
          "head",
          lastIndex + ":" + lastHash,
          headIndex + ":" + headHash,
          "the chain head names block "
              + headIndex
              + " ("
              + headHash
              + ") but the last stored block is "
              + lastIndex);
    }
    return Optional.empty();
  }

  /** Blocks that passed. */
  public long checked() {
    return checked;
  }

  /** The index of the last block that passed, -1 before the first. */
  public long lastIndex() {
    return last == null ? -1 : last.index();
  }

  private static Optional<BrokenLink> broken(
      long index, String field, String expected, String actual, String message) {
    return Optional.of(new BrokenLink(index, field, expected, actual, message));
  }
}
