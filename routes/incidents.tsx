import { listIncidents } from "../core/alerts/incidents.ts";
import type { Incident } from "../core/alerts/incident.ts";
import { listMonitors } from "../core/monitors/queries.ts";
import IncidentList from "../islands/IncidentList.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

type Data = {
  incidents: Incident[];
  names: Record<string, string>;
};

/** `GET /incidents`: the latest incidents, live. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const [incidents, monitors] = await Promise.all([
      listIncidents(db, tenantId, { limit: 200 }),
      listMonitors(db, tenantId),
    ]);
    const names = Object.fromEntries(monitors.map((m) => [m.id, m.name]));
    return c.var.render({ incidents, names } satisfies Data, { title: "Incidents" });
  },
};

/** Every incident, newest first. */
export default function IncidentsPage({ data }: PageProps<Data>) {
  return (
    <>
      <h1>Incidents</h1>
      <Island name="IncidentList" component={IncidentList} props={data} />
    </>
  );
}
