import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { useForm } from "../components/use_form.ts";

type Draft = { current_password: string; new_password: string };

/** The account: change the password (other sessions end), or sign out everywhere. */
export default function AccountSettings(
  { email, tenant, role }: { email: string; tenant: string; role: string },
) {
  const [done, setDone] = useState(false);
  const { fields: d, error, busy, set, submit } = useForm<Draft, unknown>(
    () => ({ current_password: "", new_password: "" }),
    (d) => callApi("POST", "/api/v1/auth/password", d),
    { onSaved: () => setDone(true), resetAfterSave: true },
  );
  const msg = (path: string) => {
    const m = error?.fieldMessage(path);
    return m && <span class="field-error" role="alert">{m}</span>;
  };
  async function everywhere() {
    if (!confirm("Sign out on every device and browser, this one included?")) return;
    await callApi("POST", "/api/v1/auth/logout-everywhere");
    location.assign("/login");
  }
  return (
    <section class="card account">
      <h2>Account</h2>
      <dl class="facts">
        <dt>Signed in as</dt>
        <dd>{email}</dd>
        <dt>Tenant</dt>
        <dd>{tenant}</dd>
        <dt>Role</dt>
        <dd data-role={role}>{role}</dd>
      </dl>
      <form onSubmit={submit} noValidate data-form="password">
        <h3>Change the password</h3>
        {error && !error.body?.error.details && (
          <p class="form-error" role="alert">{error.message}</p>
        )}
        {done && (
          <p class="form-ok" role="status">
            Password changed; every other session has been signed out.
          </p>
        )}
        <div class="form-grid">
          <div class="field">
            <label for="current-password">Current password</label>
            <input
              id="current-password"
              type="password"
              autocomplete="current-password"
              value={d.current_password}
              onInput={set("current_password")}
            />
            {msg("current_password")}
          </div>
          <div class="field">
            <label for="new-password">New password</label>
            <input
              id="new-password"
              type="password"
              autocomplete="new-password"
              minLength={10}
              value={d.new_password}
              onInput={set("new_password")}
            />
            {msg("new_password") || <span class="field-hint">10 to 200 characters</span>}
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? "Changing…" : "Change password"}
          </button>
          <button type="button" class="button danger" onClick={everywhere}>
            Sign out everywhere
          </button>
        </div>
      </form>
    </section>
  );
}
