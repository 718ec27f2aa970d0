import { listMonitors } from "../core/monitors/queries.ts";
import { listStatusPages } from "../core/status_pages/queries.ts";
import type { StatusPage } from "../core/status_pages/status_page.ts";
import StatusPagesEditor from "../islands/StatusPagesEditor.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";
import { presentStatusPage } from "../web/status_page_input.ts";

type Data = { pages: StatusPage[]; monitors: { id: string; name: string }[] };

/** `GET /status-pages`: the tenant's public status pages and their editor. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const [pages, monitors] = await Promise.all([
      listStatusPages(db, tenantId),
      listMonitors(db, tenantId),
    ]);
    return c.var.render(
      {
        pages: pages.map((p) => presentStatusPage(c, p)),
        monitors: monitors.map((m) => ({ id: m.id, name: m.name })),
      } satisfies Data,
      { title: "Status pages" },
    );
  },
};

/** The status pages editor. */
export default function StatusPagesPage({ data }: PageProps<Data>) {
  return <Island name="StatusPagesEditor" component={StatusPagesEditor} props={data} />;
}
