import type { ApiKey } from "../core/auth/api_keys.ts";
import { listApiKeys } from "../core/auth/api_keys.ts";
import ApiKeys from "../islands/ApiKeys.tsx";
import type { RouteConfig } from "../web/app_env.ts";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true };

type Data = { keys: ApiKey[] };

/** `GET /settings`: the account and the tenant's API keys. */
export const handler: Handlers = {
  async GET(c) {
    const keys = await listApiKeys(c.var.deps.db, c.var.principal.tenantId);
    return c.var.render({ keys } satisfies Data, { title: "Settings" });
  },
};

/** The settings page. */
export default function SettingsPage({ data, ctx }: PageProps<Data>) {
  return (
    <div class="settings">
      <h1>Settings</h1>
      <section class="card">
        <h2>Account</h2>
        <dl class="facts">
          <dt>Signed in as</dt>
          <dd>{ctx.email}</dd>
          <dt>Tenant</dt>
          <dd>{ctx.tenantName}</dd>
        </dl>
      </section>
      <h2>API keys</h2>
      <p class="muted">
        A key speaks for this tenant in scripts and CI: <code>read</code>{" "}
        keys read everything and change nothing, <code>write</code>{" "}
        keys also manage monitors, alert rules, channels, status pages and maintenance. No key
        manages keys. See the <a href="/api-docs">API reference</a>.
      </p>
      <Island name="ApiKeys" component={ApiKeys} props={data} />
    </div>
  );
}
