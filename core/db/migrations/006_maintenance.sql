-- Maintenance windows: planned work that mutes notifications and leaves uptime alone.
CREATE TABLE maintenance_windows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  title text NOT NULL,
  message text,
  monitor_ids uuid[] NOT NULL DEFAULT '{}',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  recurrence jsonb,
  mute_notifications boolean NOT NULL DEFAULT true,
  exclude_from_uptime boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX maintenance_windows_tenant_idx ON maintenance_windows (tenant_id, starts_at);
