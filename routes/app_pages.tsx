import type { Context, Hono } from "hono";
import { listIncidents } from "../core/alerts/incidents.ts";
import { listRules } from "../core/alerts/rules.ts";
import { listChecks } from "../core/checks/queries.ts";
import { readStats } from "../core/checks/rollups.ts";
import { getMonitor, listMonitors } from "../core/monitors/queries.ts";
import AlertRulesEditor from "../islands/AlertRulesEditor.tsx";
import DashboardSummary from "../islands/DashboardSummary.tsx";
import IncidentList from "../islands/IncidentList.tsx";
import LiveMonitorTable, { PAGE_SIZE } from "../islands/LiveMonitorTable.tsx";
import MonitorDetail from "../islands/MonitorDetail.tsx";
import type { AppDeps, AppEnv } from "./_env.ts";
import { Island } from "./_island.tsx";
import { Layout, type PageContext, renderPage } from "./_layout.tsx";
import { loginRedirect, pageAccount } from "./_page_auth.ts";
import type { StaticAssets } from "./_static.ts";

/** The signed-in pages: dashboard, domains, one monitor, incidents, alert rules. */
export function appPages(app: Hono<AppEnv>, deps: AppDeps, assets: StaticAssets): void {
  const { db } = deps;

  /** Registers a page that needs a session; signed-out visitors go to /login. */
  const page = (
    path: string,
    render: (
      c: Context<AppEnv>,
      ctx: PageContext,
      tenantId: number,
    ) => Promise<preact.JSX.Element | null>,
  ) => {
    app.get(path, async (c) => {
      const account = await pageAccount(c, deps);
      if (!account) return loginRedirect(c);
      const ctx: PageContext = {
        assets,
        nonce: c.get("cspNonce"),
        tenantName: account.tenant.name,
        email: account.user.email,
        path: new URL(c.req.url).pathname,
      };
      const node = await render(c, ctx, account.tenant.id);
      if (!node) return c.notFound();
      c.header("Cache-Control", "no-store");
      return c.html(renderPage(node));
    });
  };

  page("/dashboard", async (_c, ctx, tenantId) => {
    const [monitors, incidents] = await Promise.all([
      listMonitors(db, tenantId),
      listIncidents(db, tenantId, { status: "open" }),
    ]);
    const names = Object.fromEntries(monitors.map((m) => [m.id, m.name]));
    return (
      <Layout ctx={ctx} title="Dashboard">
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
      </Layout>
    );
  });

  page("/domains", async (_c, ctx, tenantId) => {
    const monitors = await listMonitors(db, tenantId);
    return (
      <Layout ctx={ctx} title="Domains">
        <Island
          name="LiveMonitorTable"
          component={LiveMonitorTable}
          props={{ monitors: monitors.slice(0, PAGE_SIZE), total: monitors.length }}
        />
      </Layout>
    );
  });

  page("/monitors/:id", async (c, ctx, tenantId) => {
    const monitor = await getMonitor(db, tenantId, c.req.param("id") ?? "");
    if (!monitor) return null;
    const [checks, s24, s7, s30, incidents] = await Promise.all([
      listChecks(db, monitor.id, { limit: 120 }),
      readStats(db, monitor.id, "24h"),
      readStats(db, monitor.id, "7d"),
      readStats(db, monitor.id, "30d"),
      listIncidents(db, tenantId, { monitorId: monitor.id, limit: 50 }),
    ]);
    return (
      <Layout ctx={ctx} title={monitor.name}>
        <p>
          <a href="/domains">← All domains</a>
        </p>
        <Island
          name="MonitorDetail"
          component={MonitorDetail}
          props={{ monitor, checks, stats: [s24, s7, s30] }}
        />
        <section class="card">
          <Island
            name="IncidentList"
            component={IncidentList}
            props={{ incidents, names: { [monitor.id]: monitor.name }, monitorId: monitor.id }}
          />
        </section>
      </Layout>
    );
  });

  page("/incidents", async (_c, ctx, tenantId) => {
    const [incidents, monitors] = await Promise.all([
      listIncidents(db, tenantId, { limit: 200 }),
      listMonitors(db, tenantId),
    ]);
    const names = Object.fromEntries(monitors.map((m) => [m.id, m.name]));
    return (
      <Layout ctx={ctx} title="Incidents">
        <h1>Incidents</h1>
        <Island name="IncidentList" component={IncidentList} props={{ incidents, names }} />
      </Layout>
    );
  });

  page("/alert-rules", async (_c, ctx, tenantId) => {
    const [rules, monitors] = await Promise.all([
      listRules(db, tenantId),
      listMonitors(db, tenantId),
    ]);
    return (
      <Layout ctx={ctx} title="Alert rules">
        <Island
          name="AlertRulesEditor"
          component={AlertRulesEditor}
          props={{ rules, monitors: monitors.map((m) => ({ id: m.id, name: m.name })) }}
        />
      </Layout>
    );
  });
}
