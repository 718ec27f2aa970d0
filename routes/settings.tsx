import { type AuditEntry, listAudit } from "../core/audit/audit_log.ts";
import type { ApiKey } from "../core/auth/api_keys.ts";
import { hasRole, type Role } from "../core/auth/roles.ts";
import { listApiKeys } from "../core/auth/api_keys.ts";
import { when } from "../client/format.ts";
import AccountSettings from "../islands/AccountSettings.tsx";
import ApiKeys from "../islands/ApiKeys.tsx";
import TeamMembers from "../islands/TeamMembers.tsx";
import type { RouteConfig } from "../web/app_env.ts";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true };

/** `keys` and `audit` only for admins and owners, who manage them. */
type Data = { role: Role; keys: ApiKey[] | null; audit: AuditEntry[] | null };

/** `GET /settings`: the account (password, sessions), API keys and the latest audit log entries. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const role = c.var.role;
    const admin = hasRole(role, "admin");
    const [keys, audit] = admin
      ? await Promise.all([listApiKeys(db, tenantId), listAudit(db, tenantId, { limit: 50 })])
      : [null, null];
    return c.var.render({ role, keys, audit } satisfies Data, { title: "Settings" });
  },
};

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p class="empty">No changes yet.</p>;
  return (
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
        {entries.map((e) => (
          <tr key={e.id} data-action={e.action}>
            <td>{when(e.at)}</td>
            <td>
              {e.actor.label}
              {e.actor.type === "api_key" && " "}
              {e.actor.type === "api_key" && <span class="muted">(API key)</span>}
            </td>
            <td>
              <code>{e.action}</code>
            </td>
            <td class="muted">{e.target_id ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The settings page: what a member may see of it follows their role. */
export default function SettingsPage({ data, ctx }: PageProps<Data>) {
  return (
    <div class="settings">
      <h1>Settings</h1>
      <Island
        name="AccountSettings"
        component={AccountSettings}
        props={{ email: ctx.email ?? "", tenant: ctx.tenantName ?? "", role: data.role }}
      />
      <h2>Members</h2>
      <Island name="TeamMembers" component={TeamMembers} props={{ role: data.role }} />
      {data.keys && (
        <>
          <h2>API keys</h2>
          <p class="muted">
            A key speaks for this tenant in scripts and CI: <code>read</code>{" "}
            keys read everything and change nothing, <code>write</code>{" "}
            keys also manage monitors, alert rules, channels, status pages and maintenance. No key
            manages keys or members. See the <a href="/api-docs">API reference</a>.
          </p>
          <Island name="ApiKeys" component={ApiKeys} props={{ keys: data.keys }} />
        </>
      )}
      {data.audit && (
        <>
          <h2>Audit log</h2>
          <p class="muted">
            The latest 50 changes made through the API; all of them at{" "}
            <code>GET /api/v1/audit-log</code>.
          </p>
          <AuditTable entries={data.audit} />
        </>
      )}
    </div>
  );
}
