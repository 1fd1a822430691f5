-- Exactly-once effects (seeds 000 and 002): an effect, its processed_events row and its outbox
-- rows are written in one transaction; the outbox is drained to Kafka by the OutboxVerticle.

CREATE TABLE processed_events (
  event_id       VARCHAR(200) NOT NULL,
  service_name   VARCHAR(100) NOT NULL,
  correlation_id VARCHAR(128),
  processed_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, service_name)
);
-- Retention deletes the oldest first.
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);

CREATE TABLE outbox (
  id             BIGSERIAL    PRIMARY KEY,
  event_id       UUID         NOT NULL UNIQUE,
  topic          VARCHAR(200) NOT NULL,
  message_key    VARCHAR(200),
  payload        JSONB        NOT NULL,
  correlation_id VARCHAR(128),
  created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
  published_at   TIMESTAMPTZ,
  -- Set when Kafka refused the message for good (too large, invalid topic): kept for operators, skipped.
  failed_at      TIMESTAMPTZ,
  last_error     TEXT
);
-- The dispatcher only ever scans pending rows, oldest first.
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE transactions (
  transaction_id   VARCHAR(100)   PRIMARY KEY,
  portfolio_id     VARCHAR(100)   NOT NULL,
  instrument_id    VARCHAR(100)   NOT NULL,
  security_id      VARCHAR(100)   NOT NULL,
  transaction_type VARCHAR(30)    NOT NULL,
  transaction_date TIMESTAMPTZ    NOT NULL,
  settlement_date  DATE,
  quantity         NUMERIC(30, 10) NOT NULL,
  price            NUMERIC(30, 10) NOT NULL,
  gross_amount     NUMERIC(30, 10) NOT NULL,
  trade_fee        NUMERIC(30, 10),
  trade_currency   CHAR(3)        NOT NULL,
  currency         CHAR(3)        NOT NULL,
  correlation_id   VARCHAR(128),
  updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now()
);
CREATE INDEX transactions_portfolio ON transactions (portfolio_id, transaction_date);

CREATE TABLE instruments (
  security_id         VARCHAR(100) PRIMARY KEY,
  name                VARCHAR(200) NOT NULL,
  isin                VARCHAR(12)  NOT NULL,
  instrument_currency CHAR(3)      NOT NULL,
  product_type        VARCHAR(50)  NOT NULL,
  correlation_id      VARCHAR(128),
  updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE market_prices (
  security_id    VARCHAR(100)    NOT NULL,
  price_date     DATE            NOT NULL,
  price          NUMERIC(30, 10) NOT NULL,
  currency       CHAR(3)         NOT NULL,
  correlation_id VARCHAR(128),
  updated_at     TIMESTAMPTZ     NOT NULL DEFAULT now(),
  PRIMARY KEY (security_id, price_date)
);

CREATE TABLE fx_rates (
  from_currency  CHAR(3)         NOT NULL,
  to_currency    CHAR(3)         NOT NULL,
  rate_date      DATE            NOT NULL,
  rate           NUMERIC(30, 10) NOT NULL,
  correlation_id VARCHAR(128),
  updated_at     TIMESTAMPTZ     NOT NULL DEFAULT now(),
  PRIMARY KEY (from_currency, to_currency, rate_date)
);

-- Seed 002: records and their per-(destination, reference) aggregate.
CREATE TABLE records (
  record_id      VARCHAR(100)    PRIMARY KEY,
  time           TIMESTAMPTZ     NOT NULL,
  source_id      VARCHAR(100)    NOT NULL,
  destination_id VARCHAR(100)    NOT NULL,
  type           VARCHAR(8)      NOT NULL CHECK (type IN ('positive', 'negative')),
  value          NUMERIC(30, 10) NOT NULL CHECK (value >= 0),
  unit           VARCHAR(20)     NOT NULL,
  reference      VARCHAR(100)    NOT NULL,
  correlation_id VARCHAR(128),
  created_at     TIMESTAMPTZ     NOT NULL DEFAULT now()
);
CREATE INDEX records_destination_time ON records (destination_id, time);
CREATE INDEX records_time ON records (time);

CREATE TABLE record_aggregates (
  destination_id VARCHAR(100)    NOT NULL,
  reference      VARCHAR(100)    NOT NULL,
  total          NUMERIC(38, 10) NOT NULL,
  record_count   BIGINT          NOT NULL,
  updated_at     TIMESTAMPTZ     NOT NULL DEFAULT now(),
  PRIMARY KEY (destination_id, reference)
);
