-- Issue 15: statistics maintained in the transactions that change trades, and indexes that match the reads.

-- One row per counter. kind 'state' (key active|expired) and 'book' (key = book_id) count the rows of
-- trades and are kept by the triggers below, so every writer (the upsert, delete, expiry, a DBA's SQL)
-- keeps them exact. kind 'source' (key rest|kafka: writes applied) and 'validation_failures' (key = source)
-- count events, not rows: the upsert statement adds them (store.TradeStore.UPSERT).
CREATE TABLE trade_counters (
  kind  VARCHAR(32) NOT NULL,
  key   VARCHAR(50) NOT NULL,
  n     BIGINT      NOT NULL,
  PRIMARY KEY (kind, key)
);

-- Seeded from what is there, so the migration is right on a populated table too.
INSERT INTO trade_counters (kind, key, n)
SELECT 'state', CASE WHEN expired THEN 'expired' ELSE 'active' END, count(*) FROM trades GROUP BY expired;
INSERT INTO trade_counters (kind, key, n) SELECT 'book', book_id, count(*) FROM trades GROUP BY book_id;

-- Each trigger adds its statement's deltas: one aggregate over the changed rows, one upsert per counter
-- that moved, taken in (kind, key) order so that concurrent writers lock counter rows in the same order.
CREATE FUNCTION trade_counters_on_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trade_counters AS c (kind, key, n)
  SELECT kind, key, sum(delta) FROM (
    SELECT 'state' AS kind, CASE WHEN expired THEN 'expired' ELSE 'active' END AS key, 1 AS delta FROM new_rows
    UNION ALL SELECT 'book', book_id, 1 FROM new_rows) d
  GROUP BY kind, key ORDER BY kind, key
  ON CONFLICT (kind, key) DO UPDATE SET n = c.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE FUNCTION trade_counters_on_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trade_counters AS c (kind, key, n)
  SELECT kind, key, sum(delta) FROM (
    SELECT 'state' AS kind, CASE WHEN expired THEN 'expired' ELSE 'active' END AS key, 1 AS delta FROM new_rows
    UNION ALL SELECT 'book', book_id, 1 FROM new_rows
    UNION ALL SELECT 'state', CASE WHEN expired THEN 'expired' ELSE 'active' END, -1 FROM old_rows
    UNION ALL SELECT 'book', book_id, -1 FROM old_rows) d
  GROUP BY kind, key HAVING sum(delta) <> 0 ORDER BY kind, key
  ON CONFLICT (kind, key) DO UPDATE SET n = c.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE FUNCTION trade_counters_on_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trade_counters AS c (kind, key, n)
  SELECT kind, key, sum(delta) FROM (
    SELECT 'state' AS kind, CASE WHEN expired THEN 'expired' ELSE 'active' END AS key, -1 AS delta FROM old_rows
    UNION ALL SELECT 'book', book_id, -1 FROM old_rows) d
  GROUP BY kind, key ORDER BY kind, key
  ON CONFLICT (kind, key) DO UPDATE SET n = c.n + EXCLUDED.n;
  RETURN NULL;
END $$;

-- A truncate starts the store over: every counter goes, the event counts too.
CREATE FUNCTION trade_counters_on_truncate() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM trade_counters;
  RETURN NULL;
END $$;

-- Statement-level with transition tables: a 512-trade upsert costs one counter update, not 512.
CREATE TRIGGER trades_count_insert AFTER INSERT ON trades REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trade_counters_on_insert();
CREATE TRIGGER trades_count_update AFTER UPDATE ON trades REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trade_counters_on_update();
CREATE TRIGGER trades_count_delete AFTER DELETE ON trades REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION trade_counters_on_delete();
CREATE TRIGGER trades_count_truncate AFTER TRUNCATE ON trades
  FOR EACH STATEMENT EXECUTE FUNCTION trade_counters_on_truncate();

-- Indexes. Reads: by trade_id (primary key), a book's trades in trade_id order (keyset paging), and the
-- expiry's "active and matured". Nothing reads by counter party, by expired alone, or by
-- (book, expired, maturity): those indexes only taxed every write.
DROP INDEX idx_trades_book_id;
DROP INDEX idx_trades_expired;
DROP INDEX idx_trades_counter_party;
DROP INDEX idx_trades_composite;
DROP INDEX idx_trades_maturity_date;
CREATE INDEX idx_trades_book_trade ON trades (book_id, trade_id);
-- Partial: it holds only the live trades, the ones the expiry looks at, and shrinks as they expire.
CREATE INDEX idx_trades_active_maturity ON trades (maturity_date) WHERE NOT expired;
