-- The settlement ledger (seed 003's "blockchain simulation"): hash-chained blocks, their transactions and the
-- wallet balances they produce. Amounts are exact decimals. See README, "Settlement ledger".

-- One wallet per account and currency. The CHECK is the last line of defence against an overdraft: the debit
-- is already conditional (amount >= x) and every write holds the chain-head lock.
CREATE TABLE ledger_balances (
  account_id VARCHAR(64)     NOT NULL,
  currency   VARCHAR(16)     NOT NULL,
  amount     NUMERIC(30, 10) NOT NULL CHECK (amount >= 0),
  updated_at TIMESTAMPTZ     NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, currency)
);

-- hash = SHA-256 of the block's canonical serialization (domain.BlockHash); previous_hash links the chain.
CREATE TABLE ledger_blocks (
  block_index   BIGINT      PRIMARY KEY CHECK (block_index >= 0),
  previous_hash CHAR(64)    NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  hash          CHAR(64)    NOT NULL
);

-- sender_account_id is NULL for a mint (POST /seed-balance); position orders the transactions in their block.
CREATE TABLE ledger_transactions (
  tx_id               UUID            PRIMARY KEY,
  block_index         BIGINT          NOT NULL REFERENCES ledger_blocks,
  position            INTEGER         NOT NULL,
  sender_account_id   VARCHAR(64),
  receiver_account_id VARCHAR(64)     NOT NULL,
  amount              NUMERIC(30, 10) NOT NULL CHECK (amount > 0),
  currency            VARCHAR(16)     NOT NULL,
  UNIQUE (block_index, position)
);

-- The chain head, one row: every ledger write locks it first (SELECT ... FOR UPDATE), so blocks are appended
-- one at a time and balance rows are only ever locked behind it (no deadlock). The genesis block and this row
-- are written at startup by the ledger role (store.LedgerStore.ensureGenesis), whose hash the Java code computes.
CREATE TABLE ledger_head (
  id          BOOLEAN  PRIMARY KEY DEFAULT TRUE CHECK (id),
  block_index BIGINT   NOT NULL,
  hash        CHAR(64) NOT NULL
);
