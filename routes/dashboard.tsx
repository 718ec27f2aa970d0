import { listIncidents } from "../core/alerts/incidents.ts";
import type { Incident } from "../core/alerts/incident.ts";
import type { Monitor } from "../core/monitors/monitor.ts";
import { listMonitors } from "../core/monitors/queries.ts";
import DashboardSummary from "../islands/DashboardSummary.tsx";
import IncidentList from "../islands/IncidentList.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

type Data = {
  monitors: Monitor[];
  incidents: Incident[];
};

/** `GET /dashboard`: the tenant at a glance, live. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const [monitors, incidents] = await Promise.all([
      listMonitors(db, tenantId),
      listIncidents(db, tenantId, { status: "open" }),
    ]);
    return c.var.render({ monitors, incidents } satisfies Data, { title: "Dashboard" });
  },
};

/** Summary tiles and the open incidents. */
export default function DashboardPage({ data: { monitors, incidents } }: PageProps<Data>) {
  const names = Object.fromEntries(monitors.map((m) => [m.id, m.name]));
  return (
    <>
      <h1>Dashboard</h1>
      <Island name="DashboardSummary" component={DashboardSummary} props={{ monitors }} />
      <section class="card">
        <Island
          name="IncidentList"
          component={IncidentList}
          props={{ incidents, names, compact: true }}
        />
      </section>
      {monitors.length === 0 && (
        <p class="empty">
          Nothing watched yet. <a href="/domains">Add your first monitor</a>.
        </p>
      )}
    </>
  );
}
