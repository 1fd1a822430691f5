package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import domain.Block;
import domain.ChainCheck;
import domain.ChainTransaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chain walk names the first broken link, whichever field was altered. */
class ChainCheckTest {
  private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

  /** Genesis and {@code n} blocks of one transfer each, correctly linked. */
  private static List<Block> chain(int n) {
    List<Block> chain = new ArrayList<>(List.of(Block.GENESIS));
    for (int i = 1; i <= n; i++) {
      Block head = chain.get(chain.size() - 1);
      chain.add(Block.after(head.index(), head.hash(), T0.plusSeconds(i),
          List.of(ChainTransaction.transfer("A", "B", BigDecimal.valueOf(i), "SIM_COIN"))));
    }
    return chain;
  }

  private static Optional<ChainCheck.BrokenLink> walk(List<Block> chain) {
    ChainCheck check = new ChainCheck();
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
    ChainCheck check = new ChainCheck();
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
    chain.set(3, new Block(3, original.previousHash(), original.timestamp(), List.of(new ChainTransaction(tx.txId(),
        tx.senderAccountId(), tx.receiverAccountId(), new BigDecimal("1000"), tx.currency())), original.hash()));
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(3, broken.blockIndex());
    assertEquals("hash", broken.field());
    assertEquals(original.hash(), broken.actual());
  }

  @Test
  void aRewrittenHashIsCaughtAtThatBlock() {
    List<Block> chain = chain(5);
    Block original = chain.get(2);
    chain.set(2, new Block(2, original.previousHash(), original.timestamp(), original.transactions(), "f".repeat(64)));
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(2, broken.blockIndex());
    assertEquals("hash", broken.field());
  }

  /** A forger who reseals the altered block still breaks the link of the block after it. */
  @Test
  void aResealedBlockBreaksTheNextLink() {
    List<Block> chain = chain(5);
    Block original = chain.get(2);
    chain.set(2, Block.seal(2, original.previousHash(), original.timestamp(),
        List.of(ChainTransaction.transfer("A", "MALLORY", BigDecimal.TEN, "SIM_COIN"))));
    ChainCheck.BrokenLink broken = walk(chain).orElseThrow();
    assertEquals(3, broken.blockIndex());
    assertEquals("previous_hash", broken.field());
    assertEquals(chain.get(2).hash(), broken.expected());
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
    ChainCheck check = new ChainCheck();
    chain.subList(0, 4).forEach(check::check);
    ChainCheck.BrokenLink broken = check.finish(5, chain.get(5).hash()).orElseThrow();
    assertEquals("head", broken.field());
    assertTrue(broken.message().contains("last stored block is 3"), broken.message());
  }
}
