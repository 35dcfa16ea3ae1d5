-- todo-postgres deploy schema: the SQL equivalent of migrations/20250315091000_create_todos.mpl.
-- Transactional and idempotent; records the migration in _mesh_migrations so `meshc migrate`
-- and staged deploys agree about what is applied.
BEGIN;

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS todos (
  id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  title      TEXT NOT NULL,
  completed  BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_todos_created_at ON todos (created_at DESC);

CREATE TABLE IF NOT EXISTS _mesh_migrations (
  version    BIGINT PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO _mesh_migrations (version, name)
VALUES (20250315091000, 'create_todos')
ON CONFLICT DO NOTHING;

COMMIT;
