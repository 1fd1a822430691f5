package store;

import domain.Block;
import domain.BlockHash;
import domain.ChainCheck;
import domain.ChainTransaction;
import domain.ErrorCode;
import domain.HeadSignatures;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import resources.FinPulse;
import resources.Resource;

/**
 * The settlement ledger's SQL. Every write runs in the caller's transaction and first locks the
 * chain head, so writes append one block each, one after another, and balance rows are locked only
 * behind the head (no deadlock); the debit is conditional on the balance covering it, and a CHECK
 * refuses a negative balance besides.
 */
public final class LedgerStore {
  /**
   * The chain head: the last block's index and hash ({@link #NONE} before the genesis block is
   * written).
   */
  public record Head(long index, String hash) {
    public static final Head NONE = new Head(-1, "");
  }

  /**
   * A write's block and the balances it left: the sender's (null for a mint) and the receiver's.
   */
  public record Settled(Block block, BigDecimal senderBalance, BigDecimal receiverBalance) {
    public ChainTransaction transaction() {
      return block.transactions().get(0);
    }
  }

  /** A transaction and the block that holds it. */
  public record Located(ChainTransaction transaction, long blockIndex) {}

  /** How far a verification got, and the first broken link if there is one. */
  public record Verification(
      long blocksChecked, Head head, Optional<ChainCheck.BrokenLink> brokenLink) {}

  private static final int VERIFY_PAGE = 500;
  private static final String BLOCK_COLUMNS =
      "block_index, previous_hash, created_at, hash, signature";
  private static final String TX_COLUMNS =
      "tx_id, block_index, sender_account_id, receiver_account_id, amount, currency";

  private static final String GENESIS_BLOCK =
      "INSERT INTO ledger_blocks ("
          + BLOCK_COLUMNS
          + ") VALUES ($1, $2, $3, $4, $5) "
          + "ON CONFLICT (block_index) DO NOTHING";
  private static final String UNSIGNED =
      "SELECT block_index, hash FROM ledger_blocks WHERE signature IS NULL "
          + "ORDER BY block_index";
  private static final String SIGN =
      "UPDATE ledger_blocks SET signature = $2 WHERE block_index = $1 AND signature IS NULL";
  private static final String GENESIS_HEAD =
      "INSERT INTO ledger_head (block_index, hash) VALUES ($1, $2) "
          + "ON CONFLICT (id) DO NOTHING";
  private static final String HEAD = "SELECT block_index, hash FROM ledger_head";
  private static final String LOCK_HEAD = HEAD + " FOR UPDATE";
  private static final String DEBIT =
      """
      UPDATE ledger_balances SET amount = amount - $3, updated_at = now()
      WHERE account_id = $1 AND currency = $2 AND amount >= $3 RETURNING amount
      """;
  private static final String CREDIT =
      """
      INSERT INTO ledger_balances (account_id, currency, amount) VALUES ($1, $2, $3)
      ON CONFLICT (account_id, currency) DO UPDATE SET amount = ledger_balances.amount + EXCLUDED.amount, updated_at = now()
      RETURNING amount
      """;

  /** The block, its one transaction and the new head, in one statement. */
  private static final String APPEND =
      """
      WITH block AS (
        INSERT INTO ledger_blocks (block_index, previous_hash, created_at, hash, signature) VALUES ($1, $2, $3, $4, $10)
      ), tx AS (
        INSERT INTO ledger_transactions (tx_id, block_index, position, sender_account_id, receiver_account_id, amount, currency)
        VALUES ($5, $1, 0, $6, $7, $8, $9)
      )
      UPDATE ledger_head SET block_index = $1, hash = $4
      """;

  private static final String BALANCE =
      "SELECT amount FROM ledger_balances WHERE account_id = $1 AND currency = $2";

  /**
   * A ledger account is the FinPulse account of the same id, and belongs to that account's
   * customer.
   */
  private static final Resource ACCOUNTS = FinPulse.named(FinPulse.ACCOUNTS);

  private static final String OWNED_ACCOUNT = "SELECT " + Owners.owns(ACCOUNTS, "$1", 2);

  /** A transaction is its sender's and its receiver's. */
  private static final String OWNED_TRANSACTION =
      "SELECT 1 FROM ledger_transactions t WHERE tx_id = $1 AND ("
          + Owners.owns(ACCOUNTS, "t.sender_account_id", 2)
          + " OR "
          + Owners.owns(ACCOUNTS, "t.receiver_account_id", 2)
          + ")";

  private static final String NEWEST_BLOCKS =
      "SELECT "
          + BLOCK_COLUMNS
          + " FROM ledger_blocks "
          + "ORDER BY block_index DESC LIMIT $1 OFFSET $2";
  private static final String BLOCKS_BEFORE =
      "SELECT "
          + BLOCK_COLUMNS
          + " FROM ledger_blocks WHERE block_index < $1 "
          + "ORDER BY block_index DESC LIMIT $2";
  private static final String BLOCK_RANGE =
      "SELECT "
          + BLOCK_COLUMNS
          + " FROM ledger_blocks "
          + "WHERE block_index >= $1 AND block_index <= $2 ORDER BY block_index LIMIT $3";
  private static final String TRANSACTIONS_OF =
      "SELECT "
          + TX_COLUMNS
          + " FROM ledger_transactions "
          + "WHERE block_index = ANY($1) ORDER BY block_index, position";
  private static final String TRANSACTION =
      "SELECT " + TX_COLUMNS + " FROM ledger_transactions WHERE tx_id = $1";

  private final Pool pool;
  private final HeadSignatures keys;

  /**
   * @param keys the ledger's keys: the signing one where blocks are sealed (the ledger role), else
   *     the public one
   */
  public LedgerStore(Pool pool, HeadSignatures keys) {
    this.pool = pool;
    this.keys = keys;
  }

  /**
   * Writes the genesis block and the head naming it, unless they exist; safe to run on several
   * nodes at once.
   */
  public Future<Void> ensureGenesis() {
    Block genesis = Block.GENESIS.signedBy(keys);
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(GENESIS_BLOCK)
                    .execute(
                        Tuple.of(
                            genesis.index(),
                            genesis.previousHash(),
                            genesis.timestamp().atOffset(ZoneOffset.UTC),
                            genesis.hash(),
                            genesis.signature()))
                    .compose(
                        block ->
                            tx.preparedQuery(GENESIS_HEAD)
                                .execute(Tuple.of(genesis.index(), genesis.hash()))))
        .mapEmpty();
  }

  /**
   * Signs the blocks sealed before blocks were signed (a chain older than this version), once their
   * hashes verify: a chain whose hashes already fail is left unsigned, for the verification to
   * report. Returns how many it signed.
   */
  public Future<Integer> signUnsigned() {
    return pool.preparedQuery(UNSIGNED)
        .execute()
        .compose(
            unsigned -> {
              if (unsigned.size() == 0) {
                return Future.succeededFuture(0);
              }
              return head()
                  .compose(head -> walk(new ChainCheck(null), head))
                  .compose(
                      hashes -> {
                        if (hashes.brokenLink().isPresent()) {
                          return Future.failedFuture(
                              new IllegalStateException(
                                  "the chain's hashes do not verify ("
                                      + hashes.brokenLink().get().message()
                                      + "): its unsigned blocks stay unsigned"));
                        }
                        List<Tuple> signatures = new ArrayList<>();
                        unsigned.forEach(
                            row ->
                                signatures.add(
                                    Tuple.of(
                                        row.getLong("block_index"),
                                        keys.sign(
                                            row.getLong("block_index"), row.getString("hash")))));
                        return pool.preparedQuery(SIGN)
                            .executeBatch(signatures)
                            .map(signatures.size());
                      });
            });
  }

  /**
   * Moves the amount from sender to receiver in a block of its own, or refuses: NOT_FOUND when the
   * sender has no wallet in the currency or is not {@code owner}'s account (null: any account),
   * INSUFFICIENT_FUNDS when its balance does not cover the amount (nothing written). The receiver
   * may be anyone's.
   */
  public Future<Settled> transfer(SqlClient tx, ChainTransaction transfer, String owner) {
    return requireOwned(tx, owner, transfer)
        .compose(owned -> lockHead(tx))
        .compose(
            head ->
                debit(tx, transfer)
                    .compose(senderBalance -> creditAndAppend(tx, head, transfer, senderBalance)));
  }

  /** Whether the ledger account is the customer {@code owner}'s. */
  public Future<Boolean> ownsAccount(String owner, String accountId) {
    return pool.preparedQuery(OWNED_ACCOUNT)
        .execute(Tuple.of(accountId, owner))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * Whether the transaction moved money out of or into one of the customer {@code owner}'s
   * accounts.
   */
  public Future<Boolean> ownsTransaction(String owner, UUID txId) {
    return pool.preparedQuery(OWNED_TRANSACTION)
        .execute(Tuple.of(txId, owner))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Another customer's sender is answered as an account without a balance: it cannot be told from
   * one.
   */
  private static Future<Void> requireOwned(SqlClient tx, String owner, ChainTransaction transfer) {
    if (owner == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(OWNED_ACCOUNT)
        .execute(Tuple.of(transfer.senderAccountId(), owner))
        .compose(
            rows ->
                rows.iterator().next().getBoolean(0)
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new ViolationException(noBalance(transfer))));
  }

  /** Credits the receiver with a mint, in a block of its own. */
  public Future<Settled> mint(SqlClient tx, ChainTransaction mint) {
    return lockHead(tx).compose(head -> creditAndAppend(tx, head, mint, null));
  }

  public Future<Optional<BigDecimal>> balance(String accountId, String currency) {
    return balance(pool, accountId, currency);
  }

  public Future<Head> head() {
    return pool.preparedQuery(HEAD).execute().map(LedgerStore::head);
  }

  /** Newest first: {@code size} blocks from {@code offset}, with their transactions. */
  public Future<Page<Block>> newestBlocks(int size, long offset) {
    return page(NEWEST_BLOCKS, Tuple.of(size + 1, offset), size);
  }

  /**
   * Newest first: {@code size} blocks below index {@code before} (a cursor page), with their
   * transactions.
   */
  public Future<Page<Block>> blocksBefore(long before, int size) {
    return page(BLOCKS_BEFORE, Tuple.of(before, size + 1), size);
  }

  public Future<Optional<Block>> block(long index) {
    return blocks(BLOCK_RANGE, Tuple.of(index, index, 1))
        .map(blocks -> blocks.stream().findFirst());
  }

  public Future<Optional<Located>> transaction(UUID txId) {
    return pool.preparedQuery(TRANSACTION)
        .execute(Tuple.of(txId))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(located(rows.iterator().next())));
  }

  /**
   * Recomputes the chain from genesis up to {@code head}, read just before (blocks appended
   * meanwhile are left for the next verification), {@value #VERIFY_PAGE} blocks per read, and stops
   * at the first broken link.
   */
  public Future<Verification> verify(Head head) {
    return walk(new ChainCheck(keys), head);
  }

  private Future<Verification> walk(ChainCheck check, Head head) {
    return blocks(BLOCK_RANGE, Tuple.of(check.lastIndex() + 1, head.index(), VERIFY_PAGE))
        .compose(
            blocks -> {
              for (Block block : blocks) {
                Optional<ChainCheck.BrokenLink> broken = check.check(block);
                if (broken.isPresent()) {
                  return Future.succeededFuture(new Verification(check.checked(), head, broken));
                }
              }
              return blocks.size() < VERIFY_PAGE
                  ? Future.succeededFuture(
                      new Verification(
                          check.checked(), head, check.finish(head.index(), head.hash())))
                  : walk(check, head);
            });
  }

  private static Future<Head> lockHead(SqlClient tx) {
    return tx.preparedQuery(LOCK_HEAD)
        .execute()
        .map(
            rows -> {
              Head head = head(rows);
              if (head == Head.NONE) {
                throw new IllegalStateException(
                    "the ledger has no genesis block: the ledger role writes it at startup");
              }
              return head;
            });
  }

  private static Future<BigDecimal> debit(SqlClient tx, ChainTransaction transfer) {
    return tx.preparedQuery(DEBIT)
        .execute(Tuple.of(transfer.senderAccountId(), transfer.currency(), transfer.amount()))
        .compose(
            rows ->
                rows.size() == 1
                    ? Future.succeededFuture(amount(rows))
                    : balance(tx, transfer.senderAccountId(), transfer.currency())
                        .compose(
                            balance ->
                                Future.failedFuture(
                                    new ViolationException(uncovered(transfer, balance)))));
  }

  /** Why a debit did not happen, without the balance: a refusal discloses no amount held. */
  private static Violation uncovered(ChainTransaction transfer, Optional<BigDecimal> balance) {
    return balance.isEmpty()
        ? noBalance(transfer)
        : Violation.of(
            ErrorCode.INSUFFICIENT_FUNDS,
            "amount",
            "insufficient funds: the balance of account "
                + transfer.senderAccountId()
                + " does not cover "
                + BlockHash.amount(transfer.amount())
                + " "
                + transfer.currency());
  }

  private static Violation noBalance(ChainTransaction transfer) {
    return Violation.of(
        ErrorCode.NOT_FOUND,
        "sender_account_id",
        "account " + transfer.senderAccountId() + " has no " + transfer.currency() + " balance");
  }

  /**
   * What a transfer and a mint share once the head is locked (and the sender debited): the credit
   * and the block.
   */
  private Future<Settled> creditAndAppend(
      SqlClient tx, Head head, ChainTransaction transaction, BigDecimal senderBalance) {
    return credit(tx, transaction)
        .compose(
            receiverBalance ->
                append(tx, head, transaction)
                    .map(block -> new Settled(block, senderBalance, receiverBalance)));
  }

  private static Future<BigDecimal> credit(SqlClient tx, ChainTransaction credit) {
    return tx.preparedQuery(CREDIT)
        .execute(Tuple.of(credit.receiverAccountId(), credit.currency(), credit.amount()))
        .map(LedgerStore::amount);
  }

  /**
   * Seals and signs the block under the head lock: its timestamp is taken after its predecessor
   * committed.
   */
  private Future<Block> append(SqlClient tx, Head head, ChainTransaction transaction) {
    Block block =
        Block.after(head.index(), head.hash(), Instant.now(), List.of(transaction)).signedBy(keys);
    return tx.preparedQuery(APPEND)
        .execute(
            Tuple.of(
                block.index(),
                block.previousHash(),
                block.timestamp().atOffset(ZoneOffset.UTC),
                block.hash(),
                transaction.txId(),
                transaction.senderAccountId(),
                transaction.receiverAccountId(),
                transaction.amount(),
                transaction.currency(),
                block.signature()))
        .map(block);
  }

  private static Future<Optional<BigDecimal>> balance(
      SqlClient client, String accountId, String currency) {
    return client
        .preparedQuery(BALANCE)
        .execute(Tuple.of(accountId, currency))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(amount(rows)));
  }

  private Future<Page<Block>> page(String sql, Tuple args, int size) {
    return head()
        .compose(
            head ->
                blocks(sql, args)
                    .map(
                        blocks ->
                            new Page<>(
                                blocks.subList(0, Math.min(size, blocks.size())),
                                head.index() + 1,
                                blocks.size() > size)));
  }

  /**
   * The blocks a query selects, in its order, each with its transactions (one more query for all of
   * them).
   */
  private Future<List<Block>> blocks(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .compose(
            blockRows -> {
              List<Long> indexes = new ArrayList<>();
              blockRows.forEach(row -> indexes.add(row.getLong("block_index")));
              if (indexes.isEmpty()) {
                return Future.succeededFuture(List.of());
              }
              return pool.preparedQuery(TRANSACTIONS_OF)
                  .execute(Tuple.of(indexes.toArray(Long[]::new)))
                  .map(txRows -> assemble(blockRows, txRows));
            });
  }

  private static List<Block> assemble(RowSet<Row> blockRows, RowSet<Row> txRows) {
    Map<Long, List<ChainTransaction>> byBlock = new LinkedHashMap<>();
    txRows.forEach(
        row ->
            byBlock
                .computeIfAbsent(row.getLong("block_index"), index -> new ArrayList<>())
                .add(located(row).transaction()));
    List<Block> blocks = new ArrayList<>(blockRows.size());
    blockRows.forEach(
        row ->
            blocks.add(
                new Block(
                    row.getLong("block_index"),
                    row.getString("previous_hash"),
                    row.getOffsetDateTime("created_at").toInstant(),
                    byBlock.getOrDefault(row.getLong("block_index"), List.of()),
                    row.getString("hash"),
                    row.getString("signature"))));
    return blocks;
  }

  private static Located located(Row row) {
    return new Located(
        new ChainTransaction(
            row.getUUID("tx_id"),
            row.getString("sender_account_id"),
            row.getString("receiver_account_id"),
            row.getBigDecimal("amount"),
            row.getString("currency")),
        row.getLong("block_index"));
  }

  private static Head head(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Head.NONE;
    }
    Row row = rows.iterator().next();
    return new Head(row.getLong("block_index"), row.getString("hash"));
  }

  private static BigDecimal amount(RowSet<Row> rows) {
    return rows.iterator().next().getBigDecimal("amount");
  }
}
