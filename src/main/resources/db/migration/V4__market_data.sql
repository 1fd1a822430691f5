-- Market data (seeds 003 and 004). Prices are exact decimals, never floating point.

-- Every accepted tick as normalised, with the Kafka coordinates it came from. The unique key on those
-- coordinates makes a redelivered record (after a crash or a rebalance) a no-op.
CREATE TABLE prices_raw (
  id               BIGSERIAL       PRIMARY KEY,
  symbol           VARCHAR(32)     NOT NULL,
  price            NUMERIC(30, 10) NOT NULL,
  size             NUMERIC(30, 10),
  timestamp_ms     BIGINT          NOT NULL,
  exchange         VARCHAR(32),
  source_topic     VARCHAR(200)    NOT NULL,
  source_partition INTEGER         NOT NULL,
  source_offset    BIGINT          NOT NULL,
  correlation_id   VARCHAR(128),
  received_at      TIMESTAMPTZ     NOT NULL DEFAULT now(),
  UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX prices_raw_symbol_time ON prices_raw (symbol, timestamp_ms);

-- The latest tick per symbol. Writers guard on timestamp_ms, so an older tick never replaces a newer one.
CREATE TABLE realtime_quote (
  symbol       VARCHAR(32)     PRIMARY KEY,
  price        NUMERIC(30, 10) NOT NULL,
  size         NUMERIC(30, 10),
  timestamp_ms BIGINT          NOT NULL,
  exchange     VARCHAR(32),
  updated_at   TIMESTAMPTZ     NOT NULL DEFAULT now()
);
-- The dashboard lists the most recently updated symbols.
CREATE INDEX realtime_quote_updated_at ON realtime_quote (updated_at DESC);

-- The price series behind history and OHLC bars, in tick time.
CREATE TABLE quote_tick (
  id       BIGSERIAL       PRIMARY KEY,
  symbol   VARCHAR(32)     NOT NULL,
  ts       TIMESTAMPTZ     NOT NULL,
  price    NUMERIC(30, 10) NOT NULL,
  size     NUMERIC(30, 10),
  exchange VARCHAR(32)
);
CREATE INDEX quote_tick_symbol_ts ON quote_tick (symbol, ts);

-- Seeded portfolios, stored whole as JSON.
CREATE TABLE portfolios (
  portfolio_id   VARCHAR(100) PRIMARY KEY,
  data           JSONB        NOT NULL,
  correlation_id VARCHAR(128),
  created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX portfolios_updated_at ON portfolios (updated_at DESC);
