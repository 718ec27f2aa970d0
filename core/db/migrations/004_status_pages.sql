-- Public status pages and the monitors they show.
CREATE TABLE status_pages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  slug text NOT NULL,
  title text NOT NULL,
  description text,
  custom_domain text,
  published boolean NOT NULL DEFAULT true,
  show_response_times boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX status_pages_slug_idx ON status_pages (slug);
CREATE UNIQUE INDEX status_pages_domain_idx ON status_pages (lower(custom_domain))
  WHERE custom_domain IS NOT NULL;
CREATE INDEX status_pages_tenant_idx ON status_pages (tenant_id, created_at);

CREATE TABLE status_page_components (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  page_id uuid NOT NULL REFERENCES status_pages (id) ON DELETE CASCADE,
  monitor_id uuid NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
  name text NOT NULL,
  group_name text,
  position integer NOT NULL
);
CREATE INDEX status_page_components_page_idx ON status_page_components (page_id, position);
CREATE INDEX status_page_components_monitor_idx ON status_page_components (monitor_id);
