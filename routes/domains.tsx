import type { Monitor } from "../core/monitors/monitor.ts";
import { recentOutcomes, uptime24h } from "../core/checks/queries.ts";
import { listMonitors } from "../core/monitors/queries.ts";
import LiveMonitorTable, { PAGE_SIZE } from "../islands/LiveMonitorTable.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

type Data = {
  monitors: Monitor[];
  total: number;
  recent: Record<string, { success: boolean; checked_at: string }[]>;
  uptime: Record<string, number | null>;
};

/** `GET /domains`: every monitor, live. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const monitors = await listMonitors(db, c.var.principal.tenantId);
    const shown = monitors.slice(0, PAGE_SIZE);
    const ids = shown.map((m) => m.id);
    const [recent, uptime] = await Promise.all([recentOutcomes(db, ids, 30), uptime24h(db, ids)]);
    return c.var.render(
      { monitors: shown, total: monitors.length, recent, uptime } satisfies Data,
      { title: "Domains" },
    );
  },
};

/** The live monitor table with the add form. */
export default function DomainsPage({ data }: PageProps<Data>) {
  return <Island name="LiveMonitorTable" component={LiveMonitorTable} props={data} />;
}
