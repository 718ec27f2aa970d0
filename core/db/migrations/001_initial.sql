CREATE TABLE tenants (
  id serial PRIMARY KEY,
  name text NOT NULL,
  event_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'owner',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE monitors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  url text NOT NULL,
  method text NOT NULL,
  interval_seconds integer NOT NULL,
  timeout_ms integer NOT NULL,
  expected_status text NOT NULL,
  keyword text,
  ignore_tls_errors boolean NOT NULL,
  enabled boolean NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  last_check jsonb,
  next_check_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitors_tenant_idx ON monitors (tenant_id, created_at);
CREATE INDEX monitors_due_idx ON monitors (next_check_at) WHERE enabled;

CREATE TABLE checks (
  id bigserial PRIMARY KEY,
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  tenant_id integer NOT NULL,
  success boolean NOT NULL,
  status_code integer,
  response_time_ms integer,
  error_message text,
  ssl_valid boolean,
  ssl_expires_at timestamptz,
  checked_at timestamptz NOT NULL
);
CREATE INDEX checks_monitor_time_idx ON checks (monitor_id, checked_at DESC);
CREATE INDEX checks_time_idx ON checks (checked_at);

-- Hourly rollups: uptime and a response-time histogram per monitor and hour.
CREATE TABLE check_rollups (
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  hour timestamptz NOT NULL,
  checks integer NOT NULL,
  up integer NOT NULL,
  time_sum bigint NOT NULL,
  time_count integer NOT NULL,
  histogram integer[] NOT NULL,
  PRIMARY KEY (monitor_id, hour)
);

CREATE TABLE alert_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  monitor_id uuid REFERENCES monitors (id) ON DELETE CASCADE,
  condition jsonb NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_rules_tenant_idx ON alert_rules (tenant_id, created_at);

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  alert_rule_id uuid REFERENCES alert_rules (id) ON DELETE SET NULL,
  rule_name text NOT NULL,
  status text NOT NULL,
  trigger_value double precision,
  opened_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX incidents_tenant_idx ON incidents (tenant_id, opened_at DESC);
CREATE UNIQUE INDEX incidents_one_open_idx ON incidents (alert_rule_id, monitor_id)
  WHERE status = 'open';

-- The event log: the tenant's sequence number is the event id.
CREATE TABLE events (
  tenant_id integer NOT NULL,
  id bigint NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX events_created_idx ON events (created_at);

CREATE TABLE stream_tickets (
  ticket_hash text PRIMARY KEY,
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
