-- Status reports: what a tenant tells its users about an incident, update by update.
CREATE TABLE status_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  page_id uuid NOT NULL REFERENCES status_pages (id) ON DELETE CASCADE,
  title text NOT NULL,
  status text NOT NULL,
  component_ids uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX status_reports_page_idx ON status_reports (page_id, created_at DESC);

CREATE TABLE status_report_updates (
  id bigserial PRIMARY KEY,
  report_id uuid NOT NULL REFERENCES status_reports (id) ON DELETE CASCADE,
  status text NOT NULL,
  message text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_report_updates_report_idx ON status_report_updates (report_id, at);
