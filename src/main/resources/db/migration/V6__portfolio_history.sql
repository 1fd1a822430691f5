-- Portfolio valuations over time (seed 003's `portfolio_history`, a TimescaleDB hypertable there; a plain
-- table keyed by portfolio and time here). Read by GET /api/v1/portfolio/history and by the VaR computation.
CREATE TABLE portfolio_history (
  portfolio_id VARCHAR(100)  NOT NULL,
  ts           TIMESTAMPTZ   NOT NULL,
  total_value  NUMERIC(24,8) NOT NULL,
  currency     CHAR(3)       NOT NULL DEFAULT 'USD',
  PRIMARY KEY (portfolio_id, ts)
);
