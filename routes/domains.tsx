import type { Monitor } from "../core/monitors/monitor.ts";
import { listMonitors } from "../core/monitors/queries.ts";
import LiveMonitorTable, { PAGE_SIZE } from "../islands/LiveMonitorTable.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

type Data = {
  monitors: Monitor[];
  total: number;
};

/** `GET /domains`: every monitor, live. */
export const handler: Handlers = {
  async GET(c) {
    const monitors = await listMonitors(c.var.deps.db, c.var.principal.tenantId);
    return c.var.render(
      { monitors: monitors.slice(0, PAGE_SIZE), total: monitors.length } satisfies Data,
      { title: "Domains" },
    );
  },
};

/** The live monitor table with the add form. */
export default function DomainsPage({ data }: PageProps<Data>) {
  return <Island name="LiveMonitorTable" component={LiveMonitorTable} props={data} />;
}
