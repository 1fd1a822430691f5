-- Trade store (seed 001). trade_id is the natural key; version orders its revisions.
CREATE TABLE trades (
  trade_id          VARCHAR(50) PRIMARY KEY,
  version           INTEGER     NOT NULL CHECK (version >= 0),
  counter_party_id  VARCHAR(50) NOT NULL,
  book_id           VARCHAR(50) NOT NULL,
  maturity_date     DATE        NOT NULL,
  created_date      DATE        NOT NULL,
  expired           BOOLEAN     NOT NULL DEFAULT FALSE,
  last_updated      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_trades_book_id       ON trades (book_id);
CREATE INDEX idx_trades_maturity_date ON trades (maturity_date);
CREATE INDEX idx_trades_expired       ON trades (expired);
CREATE INDEX idx_trades_counter_party ON trades (counter_party_id);
CREATE INDEX idx_trades_composite     ON trades (book_id, expired, maturity_date);
