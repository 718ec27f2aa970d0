import type { MaintenanceWindow } from "../core/maintenance/maintenance_window.ts";
import { listWindows } from "../core/maintenance/queries.ts";
import { listMonitors } from "../core/monitors/queries.ts";
import MaintenanceEditor from "../islands/MaintenanceEditor.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

type Data = { windows: MaintenanceWindow[]; monitors: { id: string; name: string }[] };

/** `GET /maintenance`: planned maintenance windows. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const [windows, monitors] = await Promise.all([
      listWindows(db, tenantId),
      listMonitors(db, tenantId),
    ]);
    return c.var.render(
      { windows, monitors: monitors.map((m) => ({ id: m.id, name: m.name })) } satisfies Data,
      { title: "Maintenance" },
    );
  },
};

/** The maintenance page. */
export default function MaintenancePage({ data }: PageProps<Data>) {
  return <Island name="MaintenanceEditor" component={MaintenanceEditor} props={data} />;
}
