-- Idempotency-Key: the reply of a POST that created or moved something, kept in the same transaction as the
-- effect, so a client's retry gets the same reply instead of a second effect (store.IdempotencyStore). Keys are a
-- client's own (its token's subject). fingerprint: SHA-256 of the method, the path and the body, which tells a retry
-- from another request sent with the same key. Deleted after IDEMPOTENCY_KEY_RETENTION_HOURS (the retention role).
CREATE TABLE idempotency_keys (
  subject         VARCHAR(200) NOT NULL,
  idempotency_key VARCHAR(255) NOT NULL,
  fingerprint     CHAR(64)     NOT NULL,
  reply           JSONB        NOT NULL,
  created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
