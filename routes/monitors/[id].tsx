import { listIncidents } from "../../core/alerts/incidents.ts";
import type { Incident } from "../../core/alerts/incident.ts";
import type { Check } from "../../core/checks/check.ts";
import { listChecks } from "../../core/checks/queries.ts";
import { readStats } from "../../core/checks/rollups.ts";
import type { Monitor } from "../../core/monitors/monitor.ts";
import { getMonitor } from "../../core/monitors/queries.ts";
import { listPushCalls, type PushCallView } from "../../core/checks/push.ts";
import { presentMonitor } from "../../web/monitor_view.ts";
import IncidentList from "../../islands/IncidentList.tsx";
import MonitorDetail from "../../islands/MonitorDetail.tsx";
import { Island } from "../../web/island.tsx";
import type { Handlers, PageProps } from "../../web/route_types.ts";

type Data = {
  monitor: Monitor;
  checks: Check[];
  stats: Awaited<ReturnType<typeof readStats>>[];
  incidents: Incident[];
  pushCalls: PushCallView[];
};

/** `GET /monitors/:id`: one monitor's history, stats and incidents, live. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const found = await getMonitor(db, tenantId, c.req.param("id") ?? "");
    if (!found) return c.notFound();
    const monitor = presentMonitor(c, found);
    const [checks, s24, s7, s30, incidents, pushCalls] = await Promise.all([
      listChecks(db, monitor.id, { limit: 120 }),
      readStats(db, monitor.id, "24h"),
      readStats(db, monitor.id, "7d"),
      readStats(db, monitor.id, "30d"),
      listIncidents(db, tenantId, { monitorId: monitor.id, limit: 50 }),
      monitor.type === "push" ? listPushCalls(db, monitor.id) : Promise.resolve([]),
    ]);
    return c.var.render(
      { monitor, checks, stats: [s24, s7, s30], incidents, pushCalls } satisfies Data,
      { title: monitor.name },
    );
  },
};

/** The monitor page. */
export default function MonitorPage({ data }: PageProps<Data>) {
  const { monitor, checks, stats, incidents, pushCalls } = data;
  return (
    <>
      <p>
        <a href="/domains">← All domains</a>
      </p>
      <Island
        name="MonitorDetail"
        component={MonitorDetail}
        props={{ monitor, checks, stats, pushCalls }}
      />
      <section class="card">
        <Island
          name="IncidentList"
          component={IncidentList}
          props={{ incidents, names: { [monitor.id]: monitor.name }, monitorId: monitor.id }}
        />
      </section>
    </>
  );
}
