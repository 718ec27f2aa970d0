-- Notification channels, the delivery outbox, and what alert rules notify.
CREATE TABLE notification_channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  type text NOT NULL,
  config jsonb NOT NULL,
  -- The webhook signing secret (whsec_…); null for other types.
  secret text,
  is_default boolean NOT NULL DEFAULT false,
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_channels_tenant_idx ON notification_channels (tenant_id, created_at);

ALTER TABLE alert_rules
  ADD COLUMN channel_ids uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN reminder_minutes integer;

-- When the incident last notified (opened or reminded): reminders are due from it.
ALTER TABLE incidents ADD COLUMN notified_at timestamptz;

-- The outbox: one row per channel per happening, written in the incident's transaction.
CREATE TABLE deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel_id uuid NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
  incident_id uuid REFERENCES incidents (id) ON DELETE SET NULL,
  kind text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  -- What to say, as it was when the happening was written.
  payload jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  response_status integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  first_attempt_at timestamptz,
  -- A failed delivery sent again by hand: its 24 hours of retries count from here.
  retried_at timestamptz,
  delivered_at timestamptz,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A dispatcher's lease: while it runs, no other instance sends this row.
  claimed_until timestamptz,
  -- Set when the row goes out inside a `grouped` delivery.
  group_id uuid REFERENCES deliveries (id) ON DELETE SET NULL
);
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at)
  WHERE status = 'pending' AND group_id IS NULL;
CREATE INDEX deliveries_channel_idx ON deliveries (channel_id, created_at DESC);
CREATE INDEX deliveries_group_idx ON deliveries (group_id) WHERE group_id IS NOT NULL;
