import { callApi } from "../client/api_client.ts";

/** The header's tenant switcher, shown when the user belongs to more than one tenant. */
export default function TenantSwitcher(
  { current, tenants }: { current: number; tenants: { id: number; name: string; role: string }[] },
) {
  async function pick(e: Event) {
    const id = Number((e.currentTarget as HTMLSelectElement).value);
    if (id === current) return;
    await callApi("POST", "/api/v1/auth/switch-tenant", { tenant_id: id });
    location.assign("/dashboard");
  }
  return (
    <select class="tenant-switcher" aria-label="Tenant" value={String(current)} onChange={pick}>
      {tenants.map((t) => <option key={t.id} value={String(t.id)}>{t.name} ({t.role})</option>)}
    </select>
  );
}
