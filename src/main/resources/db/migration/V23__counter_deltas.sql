-- Issue 25: counters without a shared hot row. Before, every writer added to the same trade_counters rows
-- (state 'active', its book, its source), so concurrent transactions queued on those row locks, each waiting
-- for the one before to commit. Now every writer only appends its deltas to trade_counter_deltas: an insert
-- into a heap with no index and no key takes no lock another writer waits on. A periodic fold
-- (store.TradeStore.FOLD_COUNTERS) moves the deltas into trade_counters, which only the fold writes.
-- trade_counts (base plus deltas) is exact at every snapshot: a delta commits with the rows it counts.

CREATE TABLE trade_counter_deltas (
  kind  VARCHAR(32) NOT NULL,
  key   VARCHAR(50) NOT NULL,
  n     BIGINT      NOT NULL
);
-- Rows live about a fold interval: vacuum it by row count, not by a share of a table that is always small.
ALTER TABLE trade_counter_deltas SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                      autovacuum_vacuum_insert_scale_factor = 0,
                                      autovacuum_vacuum_insert_threshold = 5000);

CREATE VIEW trade_counts AS
SELECT kind, key, sum(n)::bigint AS n
FROM (SELECT kind, key, n FROM trade_counters UNION ALL SELECT kind, key, n FROM trade_counter_deltas) parts
GROUP BY kind, key;

CREATE OR REPLACE FUNCTION trade_counters_on_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trade_counter_deltas (kind, key, n)
  SELECT kind, key, sum(delta) FROM (
    SELECT 'state' AS kind, CASE WHEN expired THEN 'expired' ELSE 'active' END AS key, 1 AS delta FROM new_rows
    UNION ALL SELECT 'book', book_id, 1 FROM new_rows) d
  GROUP BY kind, key;
  RETURN NULL;
END $$;

-- Updates: a row-level trigger whose WHEN clause PostgreSQL checks without calling the function, so the usual
-- update (a new version in the same book, live) costs nothing; only a move between books or states appends.
-- The statement-level one it replaces ran for every upsert, since INSERT ... ON CONFLICT DO UPDATE fires the
-- UPDATE statement triggers too, changed rows or not.
DROP TRIGGER trades_count_update ON trades;
DROP FUNCTION trade_counters_on_update();
CREATE FUNCTION trade_counters_on_row_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.expired IS DISTINCT FROM NEW.expired THEN
    INSERT INTO trade_counter_deltas (kind, key, n) VALUES
      ('state', CASE WHEN NEW.expired THEN 'expired' ELSE 'active' END, 1),
      ('state', CASE WHEN OLD.expired THEN 'expired' ELSE 'active' END, -1);
  END IF;
  IF OLD.book_id IS DISTINCT FROM NEW.book_id THEN
    INSERT INTO trade_counter_deltas (kind, key, n) VALUES ('book', NEW.book_id, 1), ('book', OLD.book_id, -1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER trades_count_update AFTER UPDATE ON trades FOR EACH ROW
  WHEN (OLD.book_id IS DISTINCT FROM NEW.book_id OR OLD.expired IS DISTINCT FROM NEW.expired)
  EXECUTE FUNCTION trade_counters_on_row_update();

CREATE OR REPLACE FUNCTION trade_counters_on_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO trade_counter_deltas (kind, key, n)
  SELECT kind, key, sum(delta) FROM (
    SELECT 'state' AS kind, CASE WHEN expired THEN 'expired' ELSE 'active' END AS key, -1 AS delta FROM old_rows
    UNION ALL SELECT 'book', book_id, -1 FROM old_rows) d
  GROUP BY kind, key;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION trade_counters_on_truncate() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM trade_counters;
  DELETE FROM trade_counter_deltas;
  RETURN NULL;
END $$;
