import { type AuditEntry, listAudit } from "../core/audit/audit_log.ts";
import type { ApiKey } from "../core/auth/api_keys.ts";
import { listApiKeys } from "../core/auth/api_keys.ts";
import { when } from "../client/format.ts";
import AccountSettings from "../islands/AccountSettings.tsx";
import ApiKeys from "../islands/ApiKeys.tsx";
import type { RouteConfig } from "../web/app_env.ts";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true };

type Data = { keys: ApiKey[]; audit: AuditEntry[] };

/** `GET /settings`: the account (password, sessions), API keys and the latest audit log entries. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const [keys, audit] = await Promise.all([
      listApiKeys(db, tenantId),
      listAudit(db, tenantId, { limit: 50 }),
    ]);
    return c.var.render({ keys, audit } satisfies Data, { title: "Settings" });
  },
};

/** The settings page. */
export default function SettingsPage({ data, ctx }: PageProps<Data>) {
  return (
    <div class="settings">
      <h1>Settings</h1>
      <Island
        name="AccountSettings"
        component={AccountSettings}
        props={{ email: ctx.email ?? "", tenant: ctx.tenantName ?? "" }}
      />
      <h2>API keys</h2>
      <p class="muted">
        A key speaks for this tenant in scripts and CI: <code>read</code>{" "}
        keys read everything and change nothing, <code>write</code>{" "}
        keys also manage monitors, alert rules, channels, status pages and maintenance. No key
        manages keys. See the <a href="/api-docs">API reference</a>.
      </p>
      <Island name="ApiKeys" component={ApiKeys} props={{ keys: data.keys }} />
      <h2>Audit log</h2>
      <p class="muted">
        The latest 50 changes made through the API; all of them at{" "}
        <code>GET /api/v1/audit-log</code>.
      </p>
      {data.audit.length === 0
        ? <p class="empty">No changes yet.</p>
        : (
          <table class="table compact" data-audit-log>
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
              </tr>
            </thead>
            <tbody>
              {data.audit.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>{when(e.at)}</td>
                  <td>
                    {e.actor.label}
                    {e.actor.type === "api_key" && <span class="muted">{" "}(API key)</span>}
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td class="muted">{e.target_id ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </div>
  );
}
