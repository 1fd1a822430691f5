package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import domain.Block;
import domain.BlockHash;
import domain.ChainTransaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The block hash against vectors computed outside Java ({@code printf '%s' "$text" | sha256sum}).
 */
@Tag("unit")
class BlockHashTest {
  private static final String ZEROS = "0".repeat(64);
  private static final ChainTransaction MINT =
      new ChainTransaction(
          UUID.fromString("3f2b8c1e-1d2a-4c59-9a3e-0b6f1c2d4e5f"),
          null,
          "ACC-1",
          new BigDecimal("100.0000000000"),
          "SIM_COIN");
  private static final ChainTransaction TRANSFER =
      new ChainTransaction(
          UUID.fromString("0b6f1c2d-1d2a-4c59-9a3e-3f2b8c1e4e5f"),
          "ACC-1",
          "ACC-2",
          new BigDecimal("12.50"),
          "SIM_COIN");
  private static final Instant SEALED = Instant.parse("2026-12-03T09:05:00.123456789Z");

  @Test
  void genesisHashesAsDocumented() {
    assertEquals(
        "block|0|" + ZEROS + "|1970-01-01T00:00:00.000000Z|0",
        BlockHash.canonical(0, ZEROS, Instant.EPOCH, List.of()));
    assertEquals(
        "c3bb6e735d93385c9b5c2cfa0fd98c185c75e18011b5969e434fb712156b4b5f", Block.GENESIS.hash());
  }

  @Test
  void blockWithTransactionsHashesItsCanonicalText() {
    Block block = Block.seal(1, ZEROS, SEALED, List.of(MINT, TRANSFER));
    assertEquals(
        Instant.parse("2026-12-03T09:05:00.123456Z"),
        block.timestamp(),
        "sealed at microsecond precision");
    assertEquals(
        """
        block|1|%s|2026-12-03T09:05:00.123456Z|2
        tx|3f2b8c1e-1d2a-4c59-9a3e-0b6f1c2d4e5f||ACC-1|100|SIM_COIN
        tx|0b6f1c2d-1d2a-4c59-9a3e-3f2b8c1e4e5f|ACC-1|ACC-2|12.5|SIM_COIN\
        """
            .formatted(ZEROS),
        BlockHash.canonical(
            block.index(), block.previousHash(), block.timestamp(), block.transactions()));
    assertEquals("9edf27e1c04caf05a99a68c4de1b838aca1e7230ad90ed82919ea9a7fd21d0aa", block.hash());
    assertEquals(block.hash(), block.recomputedHash());
  }

  @Test
  void amountsHashByValueNotByScale() {
    assertEquals("12.5", BlockHash.amount(new BigDecimal("12.5000000000")));
    assertEquals("100", BlockHash.amount(new BigDecimal("1E+2")));
    assertEquals("0.0000000001", BlockHash.amount(new BigDecimal("1E-10")));
    assertEquals(
        Block.seal(1, ZEROS, SEALED, List.of(TRANSFER)).hash(),
        Block.seal(
                1,
                ZEROS,
                SEALED,
                List.of(
                    new ChainTransaction(
                        TRANSFER.txId(), "ACC-1", "ACC-2", new BigDecimal("12.5"), "SIM_COIN")))
            .hash());
  }

  @Test
  void everyFieldChangesTheHash() {
    String hash = Block.seal(1, ZEROS, SEALED, List.of(TRANSFER)).hash();
    assertNotEquals(hash, Block.seal(2, ZEROS, SEALED, List.of(TRANSFER)).hash(), "index");
    assertNotEquals(
        hash,
        Block.seal(1, "1" + ZEROS.substring(1), SEALED, List.of(TRANSFER)).hash(),
        "previous hash");
    assertNotEquals(
        hash, Block.seal(1, ZEROS, SEALED.plusNanos(1_000), List.of(TRANSFER)).hash(), "timestamp");
    assertNotEquals(
        hash,
        Block.seal(
                1,
                ZEROS,
                SEALED,
                List.of(
                    new ChainTransaction(
                        TRANSFER.txId(), "ACC-1", "ACC-2", new BigDecimal("12.51"), "SIM_COIN")))
            .hash(),
        "amount");
    assertNotEquals(
        hash,
        Block.seal(
                1,
                ZEROS,
                SEALED,
                List.of(
                    new ChainTransaction(
                        TRANSFER.txId(), "ACC-2", "ACC-1", TRANSFER.amount(), "SIM_COIN")))
            .hash(),
        "direction");
    assertNotEquals(
        hash, Block.seal(1, ZEROS, SEALED, List.of(TRANSFER, MINT)).hash(), "transactions");
  }
}
