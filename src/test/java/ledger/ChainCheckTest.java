package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import domain.Block;
import domain.ChainCheck;
import domain.ChainTransaction;
import domain.HeadSignatures;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chain walk names the first broken link, whichever field was altered, or the first block not
 * signed by the ledger.
 */
@Tag("unit")
class ChainCheckTest {
  private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");
  private static final String[] PAIR = HeadSignatures.generate();
  private static final HeadSignatures KEYS = HeadSignatures.of(PAIR[0], PAIR[1]);

  /** Genesis and {@code n} blocks of one transfer each, correctly linked and signed. */
  private static List<Block> chain(int n) {
    List<Block> chain = new ArrayList<>(List.of(Block.GENESIS.signedBy(KEYS)));
    for (int i = 1; i <= n; i++) {
      Block head = chain.get(chain.size() - 1);
      chain.add(
          Block.after(
                  head.index(),
                  head.hash(),
                  T0.plusSeconds(i),
                  List.of(ChainTransaction.transfer("A", "B", BigDecimal.valueOf(i), "SIM_COIN")))
              .signedBy(KEYS));
    }
    return chain;
  }

  private static Optional<ChainCheck.BrokenLink> walk(List<Block> chain) {
    ChainCheck check = new ChainCheck(KEYS);
    for (Block block : chain) {
      Optional<ChainCheck.BrokenLink> broken = check.check(block);
      if (broken.isPresent()) {
        return broken;
      }
    }
    Block last = chain.get(chain.size() - 1);
    return check.finish(last.index(), last.hash());
  }

  @Test
  void anIntactChainPasses() {
    ChainCheck check = new ChainCheck(KEYS);
    List<Block> chain = chain(5);
    chain.forEach(block -> assertEquals(Optional.empty(), check.check(block)));
    assertEquals(Optional.empty(), check.finish(5, chain.get(5).hash()));
    assertEquals(6, check.checked());
  }

  @Test
  void anAlteredAmountBreaksItsBlocksHash() {
    List<Block> chain = chain(5);
    Block original = chain.get(3);
    ChainTransaction tx = original.transactions().get(0);
    chain.set(
        3,
        new Block(
            3,
            original.previousHash(),
            original.timestamp(),
            List.of(
                new ChainTransaction(
                    tx.txId(),
                    tx.senderAccountId(),
                    tx.receiverAccountId(),
                    new BigDecimal("1000"),
                    tx.currency())),
            original.hash(),
            original.signature()));
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(3, broken.blockIndex());
    assertEquals("hash", broken.field());
    assertEquals(original.hash(), broken.actual());
  }

  @Test
  void aRewrittenHashIsCaughtAtThatBlock() {
    List<Block> chain = chain(5);
    Block original = chain.get(2);
    chain.set(
        2,
        new Block(
            2,
            original.previousHash(),
            original.timestamp(),
            original.transactions(),
            "f".repeat(64),
            original.signature()));
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(2, broken.blockIndex());
    assertEquals("hash", broken.field());
  }

  /**
   * Even a block resealed and signed with the ledger's own key breaks the link of the block after
   * it.
   */
  @Test
  void aResealedBlockBreaksTheNextLink() {
    List<Block> chain = chain(5);
    Block original = chain.get(2);
    chain.set(
        2,
        Block.seal(
                2,
                original.previousHash(),
                original.timestamp(),
                List.of(ChainTransaction.transfer("A", "MALLORY", BigDecimal.TEN, "SIM_COIN")))
            .signedBy(KEYS));
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(3, broken.blockIndex());
    assertEquals("previous_hash", broken.field());
    assertEquals(chain.get(2).hash(), broken.expected());
  }

  /**
   * Whoever can write the tables can reseal every block after the one it alters, so every hash and
   * link holds: the signatures, which it cannot make, name the first forged block.
   */
  @Test
  void aForgerWhoRecomputesEveryHashIsCaughtByTheSignatureOfTheFirstForgedBlock() {
    List<Block> chain = chain(5);
    for (int i = 2; i <= 5; i++) {
      Block original = chain.get(i);
      List<ChainTransaction> transactions =
          i == 2
              ? List.of(ChainTransaction.transfer("A", "MALLORY", BigDecimal.TEN, "SIM_COIN"))
              : original.transactions();
      Block resealed = Block.seal(i, chain.get(i - 1).hash(), original.timestamp(), transactions);
      chain.set(
          i,
          new Block(
              i,
              resealed.previousHash(),
              resealed.timestamp(),
              transactions,
              resealed.hash(),
              original.signature()));
    }
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(2, broken.blockIndex());
    assertEquals("signature", broken.field());
  }

  @Test
  void anUnsignedBlockOrOneSignedByAnotherKeyIsNamed() {
    List<Block> unsigned = chain(3);
    Block third = unsigned.get(3);
    unsigned.set(
        3,
        new Block(
            3, third.previousHash(), third.timestamp(), third.transactions(), third.hash(), null));
    assertEquals(3, walk(unsigned).orElseThrow().blockIndex());
    assertTrue(walk(unsigned).orElseThrow().message().contains("missing"));

    String[] other = HeadSignatures.generate();
    List<Block> foreign = chain(3);
    foreign.set(2, foreign.get(2).signedBy(HeadSignatures.of(other[0], other[1])));
    assertEquals(2, walk(foreign).orElseThrow().blockIndex());
    assertEquals("signature", walk(foreign).orElseThrow().field());
  }

  @Test
  void keysThatAreNotOnePairAreRefused() {
    String[] other = HeadSignatures.generate();
    IllegalArgumentException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> HeadSignatures.of(PAIR[0], other[1]));
    assertTrue(refused.getMessage().contains("not one pair"), refused.getMessage());
  }

  @Test
  void aMissingBlockIsNamed() {
    List<Block> chain = chain(5);
    chain.remove(4);
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(4, broken.blockIndex());
    assertEquals("block_index", broken.field());
    assertEquals("5", broken.actual());
  }

  @Test
  void aChainCutShortOfItsHeadIsNamed() {
    List<Block> chain = chain(5);
    ChainCheck check = new ChainCheck(KEYS);
    chain.subList(0, 4).forEach(check::check);
    ChainCheck.BrokenLink broken = check.finish(5, chain.get(5).hash()).orElseThrow();
    assertEquals("head", broken.field());
    assertTrue(broken.message().contains("last stored block is 3"), broken.message());
  }
}
