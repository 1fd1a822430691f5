-- FinPulse (seed 003): the business resources served by the generic resource module (resources.FinPulse).
-- Money and quantities are exact NUMERIC(30,10); every reference is a foreign key, indexed, so a child can be
-- listed by its parent and a parent's delete finds its children. One table per concept: instruments, portfolios
-- and market prices are the tables the Kafka feeds and POST /api/v1/seed already write, extended here.

CREATE TABLE customers (
  customer_id       VARCHAR(100)   PRIMARY KEY,
  name              VARCHAR(200)   NOT NULL,
  email             VARCHAR(254),
  phone             VARCHAR(32),
  date_of_birth     DATE,
  national_id       VARCHAR(64),
  country           VARCHAR(2),
  kyc_status        VARCHAR(16),
  ai_identity_score NUMERIC(5, 4),
  created_at        TIMESTAMPTZ    NOT NULL DEFAULT now()
);

CREATE TABLE user_preferences (
  preference_id         VARCHAR(100) PRIMARY KEY,
  customer_id           VARCHAR(100) NOT NULL REFERENCES customers,
  theme                 VARCHAR(16),
  language              VARCHAR(16),
  notifications_enabled BOOLEAN,
  default_currency      CHAR(3),
  created_at            TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX user_preferences_customer ON user_preferences (customer_id);

CREATE TABLE accounts (
  account_id   VARCHAR(100)    PRIMARY KEY,
  customer_id  VARCHAR(100)    NOT NULL REFERENCES customers,
  account_type VARCHAR(16)     NOT NULL,
  currency     CHAR(3)         NOT NULL,
  balance      NUMERIC(30, 10),
  status       VARCHAR(16),
  created_at   TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX accounts_customer ON accounts (customer_id);

-- The raw-event consumer's instruments (V3), with the fields FinPulse adds; its upsert leaves them alone.
ALTER TABLE instruments ADD COLUMN symbol VARCHAR(32), ADD COLUMN exchange VARCHAR(32);

-- The seeded portfolio documents (V4) are FinPulse's portfolios: a seed fills `data`, the resource the typed
-- columns; a portfolio created through the resource has an empty document until one is seeded.
ALTER TABLE portfolios ALTER COLUMN data SET DEFAULT '{}'::jsonb,
  ADD COLUMN account_id VARCHAR(100) REFERENCES accounts,
  ADD COLUMN name VARCHAR(200),
  ADD COLUMN base_currency CHAR(3);
CREATE INDEX portfolios_account ON portfolios (account_id);

CREATE TABLE positions (
  position_id  VARCHAR(100)    PRIMARY KEY,
  portfolio_id VARCHAR(100)    NOT NULL REFERENCES portfolios,
  security_id  VARCHAR(100)    NOT NULL REFERENCES instruments,
  quantity     NUMERIC(30, 10) NOT NULL,
  average_cost NUMERIC(30, 10),
  currency     CHAR(3),
  created_at   TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX positions_portfolio ON positions (portfolio_id);
CREATE INDEX positions_security ON positions (security_id);

CREATE TABLE watchlists (
  watchlist_id VARCHAR(100) PRIMARY KEY,
  customer_id  VARCHAR(100) NOT NULL REFERENCES customers,
  name         VARCHAR(200) NOT NULL,
  created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX watchlists_customer ON watchlists (customer_id);

CREATE TABLE watchlist_items (
  watchlist_item_id VARCHAR(100) PRIMARY KEY,
  watchlist_id      VARCHAR(100) NOT NULL REFERENCES watchlists,
  security_id       VARCHAR(100) NOT NULL REFERENCES instruments,
  note              VARCHAR(500),
  created_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX watchlist_items_watchlist ON watchlist_items (watchlist_id);
CREATE INDEX watchlist_items_security ON watchlist_items (security_id);

CREATE TABLE bonds (
  bond_id          VARCHAR(100)    PRIMARY KEY,
  security_id      VARCHAR(100)    NOT NULL REFERENCES instruments,
  issuer           VARCHAR(200),
  face_value       NUMERIC(30, 10) NOT NULL,
  coupon_rate      NUMERIC(30, 10),
  maturity_date    DATE            NOT NULL,
  coupons_per_year BIGINT,
  created_at       TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX bonds_security ON bonds (security_id);

CREATE TABLE options (
  option_id              VARCHAR(100)    PRIMARY KEY,
  security_id            VARCHAR(100)    NOT NULL REFERENCES instruments,
  underlying_security_id VARCHAR(100)    NOT NULL REFERENCES instruments,
  option_type            VARCHAR(4)      NOT NULL,
  strike                 NUMERIC(30, 10) NOT NULL,
  expiry_date            DATE            NOT NULL,
  contract_size          BIGINT,
  created_at             TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX options_security ON options (security_id);
CREATE INDEX options_underlying ON options (underlying_security_id);

-- Orders and trade executions keep their surveillance score; (security_id, created_at) serves the recent
-- notional history a new one is scored against.
CREATE TABLE orders (
  order_id           VARCHAR(100)    PRIMARY KEY,
  account_id         VARCHAR(100)    NOT NULL REFERENCES accounts,
  security_id        VARCHAR(100)    NOT NULL REFERENCES instruments,
  side               VARCHAR(4)      NOT NULL,
  quantity           NUMERIC(30, 10) NOT NULL,
  price              NUMERIC(30, 10) NOT NULL,
  order_type         VARCHAR(8),
  status             VARCHAR(16),
  surveillance_score NUMERIC(30, 10),
  surveillance_alert BOOLEAN,
  created_at         TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX orders_account ON orders (account_id);
CREATE INDEX orders_security_created ON orders (security_id, created_at);

CREATE TABLE trade_executions (
  trade_execution_id VARCHAR(100)    PRIMARY KEY,
  order_id           VARCHAR(100)    REFERENCES orders,
  account_id         VARCHAR(100)    NOT NULL REFERENCES accounts,
  security_id        VARCHAR(100)    NOT NULL REFERENCES instruments,
  side               VARCHAR(4)      NOT NULL,
  quantity           NUMERIC(30, 10) NOT NULL,
  price              NUMERIC(30, 10) NOT NULL,
  executed_at        TIMESTAMPTZ,
  surveillance_score NUMERIC(30, 10),
  surveillance_alert BOOLEAN,
  created_at         TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX trade_executions_order ON trade_executions (order_id);
CREATE INDEX trade_executions_account ON trade_executions (account_id);
CREATE INDEX trade_executions_security_created ON trade_executions (security_id, created_at);

CREATE TABLE cash_transactions (
  cash_transaction_id VARCHAR(100)    PRIMARY KEY,
  account_id          VARCHAR(100)    NOT NULL REFERENCES accounts,
  type                VARCHAR(16)     NOT NULL,
  amount              NUMERIC(30, 10) NOT NULL,
  currency            CHAR(3)         NOT NULL,
  booked_at           TIMESTAMPTZ,
  created_at          TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX cash_transactions_account ON cash_transactions (account_id);

-- The fraud model trains on the newest payments (created_at).
CREATE TABLE payments (
  payment_id           VARCHAR(100)    PRIMARY KEY,
  account_id           VARCHAR(100)    NOT NULL REFERENCES accounts,
  counterparty         VARCHAR(200)    NOT NULL,
  amount               NUMERIC(30, 10) NOT NULL,
  currency             CHAR(3)         NOT NULL,
  status               VARCHAR(16),
  fraud_score          NUMERIC(30, 10),
  fraud_recommendation VARCHAR(8),
  created_at           TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX payments_account ON payments (account_id);
CREATE INDEX payments_created ON payments (created_at);

CREATE TABLE settlements (
  settlement_id      VARCHAR(100)    PRIMARY KEY,
  trade_execution_id VARCHAR(100)    NOT NULL REFERENCES trade_executions,
  settlement_date    DATE            NOT NULL,
  status             VARCHAR(16)     NOT NULL,
  amount             NUMERIC(30, 10),
  currency           CHAR(3),
  created_at         TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX settlements_trade_execution ON settlements (trade_execution_id);

-- Market data is the market_prices table of the raw-event consumer (V3): one row per security and day.
-- The resource addresses a row by a generated id; the Kafka upsert keeps it. No foreign key to instruments:
-- the feed may deliver a price before its instrument.
ALTER TABLE market_prices ADD COLUMN market_data_id VARCHAR(100) NOT NULL DEFAULT gen_random_uuid()::text;
ALTER TABLE market_prices ADD CONSTRAINT market_prices_market_data_id UNIQUE (market_data_id);

CREATE TABLE risk_metrics (
  risk_metric_id VARCHAR(100)    PRIMARY KEY,
  portfolio_id   VARCHAR(100)    NOT NULL REFERENCES portfolios,
  metric_type    VARCHAR(16)     NOT NULL,
  method         VARCHAR(16),
  confidence     NUMERIC(30, 10),
  days           BIGINT,
  value          NUMERIC(30, 10) NOT NULL,
  currency       CHAR(3),
  as_of          TIMESTAMPTZ,
  created_at     TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX risk_metrics_portfolio ON risk_metrics (portfolio_id, created_at);

CREATE TABLE valuations (
  valuation_id VARCHAR(100)    PRIMARY KEY,
  portfolio_id VARCHAR(100)    NOT NULL REFERENCES portfolios,
  valued_at    TIMESTAMPTZ     NOT NULL,
  total_value  NUMERIC(30, 10) NOT NULL,
  currency     CHAR(3)         NOT NULL,
  created_at   TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX valuations_portfolio ON valuations (portfolio_id, valued_at);
