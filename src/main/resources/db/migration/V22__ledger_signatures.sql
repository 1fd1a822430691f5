-- The ledger's Ed25519 signature of each block's hash (base64, domain.HeadSignatures), made with a key kept outside
-- the database: a chain rewritten by someone who recomputed every hash fails at its first forged block. Blocks of an
-- older chain are signed by the ledger role at startup once their hashes verify (store.LedgerStore.signUnsigned).
ALTER TABLE ledger_blocks ADD COLUMN signature TEXT;
