-- reference-backend deploy schema: the SQL equivalent of
-- migrations/20250315090000_create_jobs.mpl (tooling spec §7.4, §7.9). Idempotent; records the
-- migration in _mesh_migrations so `meshc migrate` and artifact deploys agree.
BEGIN;

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS jobs (
  id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  status       TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'processing', 'processed', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  payload      JSONB NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at TIMESTAMPTZ
);

CREATE INDEX IF NOT EXISTS idx_jobs_pending_scan ON jobs (created_at, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS idx_jobs_processing_reclaim_scan ON jobs (updated_at, id) WHERE status = 'processing';

CREATE TABLE IF NOT EXISTS _mesh_migrations (
  version    BIGINT PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO _mesh_migrations (version, name)
VALUES (20250315090000, 'create_jobs')
ON CONFLICT DO NOTHING;

COMMIT;
