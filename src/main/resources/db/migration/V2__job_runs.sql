-- Cluster-wide timers claim their tick here: one row per job, so a job runs once per interval
-- whatever the number of JVMs that run its timer.
CREATE TABLE job_runs (
  job        VARCHAR(50) PRIMARY KEY,
  last_run   TIMESTAMPTZ NOT NULL,
  last_count BIGINT
);
