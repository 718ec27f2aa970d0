import { useEffect, useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { when } from "../client/format.ts";
import { useForm } from "../components/use_form.ts";

type Role = "owner" | "admin" | "editor" | "viewer";
const ROLES: Role[] = ["viewer", "editor", "admin", "owner"];

interface Member {
  user_id: string;
  email: string;
  role: Role;
  joined_at: string;
}

interface Invitation {
  id: string;
  email: string;
  role: Role;
  expires_at: string;
  created_at: string;
}

function Invite(
  { role, onInvited }: { role: Role; onInvited: (i: Invitation & { token: string }) => void },
) {
  const { fields: d, error, busy, set, submit } = useForm<
    { email: string; role: string },
    Invitation & { token: string }
  >(
    () => ({ email: "", role: "editor" }),
    (d) => callApi("POST", "/api/v1/invitations", d),
    { onSaved: onInvited, resetAfterSave: true },
  );
  const msg = (path: string) => {
    const m = error?.fieldMessage(path);
    return m && <span class="field-error" role="alert">{m}</span>;
  };
  return (
    <form class="card" onSubmit={submit} noValidate data-form="invite">
      <h3>Invite someone</h3>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        <div class="field">
          <label for="invite-email">Email</label>
          <input id="invite-email" type="email" value={d.email} onInput={set("email")} />
          {msg("email")}
        </div>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" value={d.role} onChange={set("role")}>
            {ROLES.filter((r) => r !== "owner" || role === "owner").map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
          {msg("role")}
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "Inviting…" : "Invite"}
        </button>
      </div>
    </form>
  );
}

/**
 * The tenant's members (admins and owners change roles and remove members)
 * and its open invitations (the link of a new one is shown once).
 */
export default function TeamMembers({ role }: { role: Role }) {
  const manage = role === "owner" || role === "admin";
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [link, setLink] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function load() {
    setMembers((await callApi<{ members: Member[] }>("GET", "/api/v1/members")).members);
    if (manage) {
      setInvitations(
        (await callApi<{ invitations: Invitation[] }>("GET", "/api/v1/invitations")).invitations,
      );
    }
  }
  useEffect(() => {
    load().catch((e) => setProblem((e as Error).message));
  }, []);
  async function act(fn: () => Promise<unknown>) {
    setProblem(null);
    try {
      await fn();
    } catch (e) {
      setProblem((e as Error).message);
    }
    await load();
  }
  const changeRole = (m: Member, next: string) =>
    act(() => callApi("PATCH", `/api/v1/members/${m.user_id}`, { role: next }));
  const remove = (m: Member) => {
    if (!confirm(`Remove ${m.email} from this tenant?`)) return;
    return act(() => callApi("DELETE", `/api/v1/members/${m.user_id}`));
  };
  const withdraw = (i: Invitation) => act(() => callApi("DELETE", `/api/v1/invitations/${i.id}`));
  return (
    <section class="members">
      {problem && <p class="form-error" role="alert">{problem}</p>}
      {members === null ? <p class="muted">Loading members…</p> : (
        <table class="table" data-members>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Joined</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.user_id} data-member-email={m.email}>
                <td>{m.email}</td>
                <td>
                  {manage && (m.role !== "owner" || role === "owner")
                    ? (
                      <select
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        onChange={(e) =>
                          changeRole(m, (e.currentTarget as HTMLSelectElement).value)}
                      >
                        {ROLES.filter((r) => r !== "owner" || role === "owner").map((r) => (
                          <option value={r}>{r}</option>
                        ))}
                      </select>
                    )
                    : m.role}
                </td>
                <td>{when(m.joined_at)}</td>
                <td>
                  {manage && (m.role !== "owner" || role === "owner") && (
                    <button
                      type="button"
                      class="button small danger"
                      onClick={() => remove(m)}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && (
        <>
          <Invite
            role={role}
            onInvited={(i) => {
              setLink(`${location.origin}/invitations/${i.token}`);
              load();
            }}
          />
          {link && (
            <div class="card secret" role="status">
              <strong>Invitation link — shown once, valid 7 days:</strong>{" "}
              <code class="copy">{link}</code>{" "}
              <button
                type="button"
                class="button small"
                onClick={() => navigator.clipboard?.writeText(link)}
              >
                Copy
              </button>
            </div>
          )}
          {invitations.length > 0 && (
            <table class="table compact" data-invitations>
              <thead>
                <tr>
                  <th>Invited</th>
                  <th>Role</th>
                  <th>Expires</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{i.role}</td>
                    <td>{when(i.expires_at)}</td>
                    <td>
                      <button type="button" class="button small" onClick={() => withdraw(i)}>
                        Withdraw
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
