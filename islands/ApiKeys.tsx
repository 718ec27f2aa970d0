import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { when } from "../client/format.ts";
import type { ApiKey } from "../client/types.ts";
import { useForm } from "../components/use_form.ts";

type Draft = { name: string; scope: string; expires: string };

function AddKey({ onAdded }: { onAdded: (k: ApiKey & { key: string }) => void }) {
  const { fields: d, error, busy, set, submit } = useForm<Draft, ApiKey & { key: string }>(
    () => ({ name: "", scope: "read", expires: "" }),
    (d) =>
      callApi("POST", "/api/v1/api-keys", {
        name: d.name,
        scope: d.scope,
        // A date picked in the form means the end of that day, in the browser's zone.
        expires_at: d.expires ? new Date(`${d.expires}T23:59:59`).toISOString() : null,
      }),
    { onSaved: onAdded, resetAfterSave: true },
  );
  const msg = (path: string) => {
    const m = error?.fieldMessage(path);
    return m && <span class="field-error" role="alert">{m}</span>;
  };
  return (
    <form class="card" onSubmit={submit} noValidate data-form="new-api-key">
      <h2>Create an API key</h2>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        <div class="field">
          <label for="key-name">Name</label>
          <input id="key-name" value={d.name} onInput={set("name")} maxLength={100} />
          {msg("name")}
        </div>
        <div class="field">
          <label for="key-scope">Scope</label>
          <select id="key-scope" value={d.scope} onChange={set("scope")}>
            <option value="read">Read: everything, writes nothing</option>
            <option value="write">Write: monitors, rules, channels, pages</option>
          </select>
          {msg("scope")}
        </div>
        <div class="field">
          <label for="key-expires">Expires (optional)</label>
          <input id="key-expires" type="date" value={d.expires} onInput={set("expires")} />
          {msg("expires_at")}
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "Creating…" : "Create key"}
        </button>
      </div>
    </form>
  );
}

/** The tenant's API keys: create one (shown once), see when each was last used, revoke it. */
export default function ApiKeys({ keys: initial }: { keys: ApiKey[] }) {
  const [keys, setKeys] = useState(initial);
  const [shown, setShown] = useState<string | null>(null);
  async function revoke(k: ApiKey) {
    if (!confirm(`Revoke the key ${k.name}? Anything using it stops working at once.`)) return;
    await callApi("DELETE", `/api/v1/api-keys/${k.id}`);
    setKeys(keys.filter((x) => x.id !== k.id));
  }
  return (
    <section class="api-keys">
      <AddKey
        onAdded={(k) => {
          const { key, ...listed } = k;
          setKeys([listed, ...keys]);
          setShown(key);
        }}
      />
      {shown && (
        <div class="card secret" role="status">
          <strong>API key — shown once:</strong> <code class="copy">{shown}</code>{" "}
          <button
            type="button"
            class="button small"
            onClick={() => navigator.clipboard?.writeText(shown)}
          >
            Copy
          </button>
          <p class="muted">
            Send it as <code>Authorization: Bearer …</code>; only its hash is stored.
          </p>
        </div>
      )}
      {keys.length === 0 ? <p class="empty">No API keys yet.</p> : (
        <table class="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>Scope</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-api-key-id={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>vik_{k.prefix}_…</code>
                </td>
                <td>{k.scope}</td>
                <td>{when(k.created_at)}</td>
                <td>{k.last_used_at ? when(k.last_used_at) : "never"}</td>
                <td>{k.expires_at ? when(k.expires_at) : "never"}</td>
                <td>
                  <button type="button" class="button small danger" onClick={() => revoke(k)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
