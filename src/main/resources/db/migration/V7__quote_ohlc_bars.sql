-- 1- and 5-minute OHLC bars (seed 003's quote_ohlc_1min and quote_ohlc_5min, continuous aggregates in
-- TimescaleDB). Plain PostgreSQL has none, so the price consumer upserts the bars in the transaction that
-- stores the ticks (store.PriceStore). open_ts and close_ts are the times of the open and close ticks, so a
-- late tick earlier than the open (or later than the close) still moves them. Bars outlive the ticks: the
-- quote history reads the 1-minute bars beyond the tick retention.
CREATE TABLE quote_ohlc_1min (
  symbol   VARCHAR(32)     NOT NULL,
  bucket   TIMESTAMPTZ     NOT NULL,
  open     NUMERIC(30, 10) NOT NULL,
  high     NUMERIC(30, 10) NOT NULL,
  low      NUMERIC(30, 10) NOT NULL,
  close    NUMERIC(30, 10) NOT NULL,
  volume   NUMERIC(38, 10) NOT NULL,
  ticks    BIGINT          NOT NULL,
  open_ts  TIMESTAMPTZ     NOT NULL,
  close_ts TIMESTAMPTZ     NOT NULL,
  PRIMARY KEY (symbol, bucket)
);
-- The retention job deletes the oldest bars (BARS_RETENTION_DAYS).
CREATE INDEX quote_ohlc_1min_bucket ON quote_ohlc_1min (bucket);

CREATE TABLE quote_ohlc_5min (LIKE quote_ohlc_1min INCLUDING ALL);
