-- Teams: a user belongs to tenants through memberships, each with a role.
-- users.tenant_id stays as the tenant the user registered (or was first invited to).
CREATE TABLE memberships (
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id, joined_at);
INSERT INTO memberships (tenant_id, user_id, role, joined_at)
  SELECT tenant_id, id, 'owner', created_at FROM users;

-- Invitations: a single-use token, stored as its hash, valid 7 days.
CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email text NOT NULL,
  role text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz
);
CREATE INDEX invitations_tenant_idx ON invitations (tenant_id, created_at);
