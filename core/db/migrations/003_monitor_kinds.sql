-- Monitor kinds: http (as before, with more options), tcp, dns and push.
ALTER TABLE monitors
  ADD COLUMN type text NOT NULL DEFAULT 'http',
  ADD COLUMN headers jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN body text,
  ADD COLUMN keyword_absent boolean NOT NULL DEFAULT false,
  ADD COLUMN json_assertion jsonb,
  ADD COLUMN follow_redirects boolean NOT NULL DEFAULT true,
  ADD COLUMN max_redirects integer NOT NULL DEFAULT 10,
  ADD COLUMN host text,
  ADD COLUMN port integer,
  ADD COLUMN hostname text,
  ADD COLUMN record_type text,
  ADD COLUMN expected text,
  ADD COLUMN resolver text,
  ADD COLUMN push_token text,
  ADD COLUMN grace_seconds integer NOT NULL DEFAULT 60,
  -- A push monitor's last `/start`, for the run time of the call that follows.
  ADD COLUMN push_started_at timestamptz;
ALTER TABLE monitors ALTER COLUMN url DROP NOT NULL, ALTER COLUMN method DROP NOT NULL,
  ALTER COLUMN expected_status DROP NOT NULL, ALTER COLUMN ignore_tls_errors DROP NOT NULL;
CREATE UNIQUE INDEX monitors_push_token_idx ON monitors (push_token) WHERE push_token IS NOT NULL;

-- The calls a push monitor received, newest kept (for its page).
CREATE TABLE push_calls (
  id bigserial PRIMARY KEY,
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  kind text NOT NULL,
  method text NOT NULL,
  address text,
  message text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_calls_monitor_idx ON push_calls (monitor_id, at DESC);
