import { findOpenInvitation } from "../../core/auth/invitations.ts";
import type { Role } from "../../core/auth/roles.ts";
import type { AppContext, RouteConfig } from "../../web/app_env.ts";
import { readForm } from "../../web/body.ts";
import { HttpError } from "../../web/http_error.ts";
import type { Handlers, PageProps } from "../../web/route_types.ts";
import { checkAcceptInvitation, refuseCrossSite, startSession } from "../../web/session.ts";

export const config: RouteConfig = { auth: "none" };

type Data =
  | { open: false }
  | {
    open: true;
    token: string;
    tenant: string;
    email: string;
    role: Role;
    hasAccount: boolean;
    message?: string;
  };

async function describe(c: AppContext, token: string): Promise<Data> {
  const db = c.var.deps.db;
  const invitation = await findOpenInvitation(db, token);
  if (!invitation) return { open: false };
  const [row] = await db.query<{ name: string; has_account: boolean }>(
    `SELECT t.name, EXISTS (SELECT 1 FROM users WHERE lower(email) = $2) AS has_account
     FROM tenants t WHERE t.id = $1`,
    [invitation.tenantId, invitation.email],
  );
  return {
    open: true,
    token,
    tenant: row.name,
    email: invitation.email,
    role: invitation.role,
    hasAccount: row.has_account,
  };
}

/**
 * `GET /invitations/:token` shows whom the invitation is for; `POST` accepts
 * it with a new password (a new account) or the account's own, signs in and
 * goes to the dashboard. Works without JavaScript.
 */
export const handler: Handlers = {
  async GET(c) {
    const data = await describe(c, c.req.param("token") ?? "");
    return c.var.render(data, { title: "Invitation", status: data.open ? 200 : 404 });
  },
  async POST(c) {
    refuseCrossSite(c);
    const token = c.req.param("token") ?? "";
    const values = await readForm(c);
    try {
      await startSession(
        c,
        await checkAcceptInvitation(c, { token, password: (values.password ?? "").slice(0, 200) }),
      );
    } catch (e) {
      if (e instanceof HttpError && e.status < 500) {
        const data = await describe(c, token);
        const message = e.details?.[0] ? `Password ${e.details[0].message}.` : e.message;
        return c.var.render(data.open ? { ...data, message } : data, {
          title: "Invitation",
          status: e.status,
        });
      }
      throw e;
    }
    return c.redirect("/dashboard", 303);
  },
};

/** The invitation page. */
export default function InvitationPage({ data }: PageProps<Data>) {
  if (!data.open) {
    return (
      <div class="card narrow auth">
        <h1>This invitation cannot be used</h1>
        <p>It was used already, withdrawn, or it expired. Ask for a new one.</p>
      </div>
    );
  }
  return (
    <div class="card narrow auth">
      <h1>Join {data.tenant}</h1>
      <p>
        <strong>{data.email}</strong> is invited as <strong>{data.role}</strong>.
      </p>
      {data.message && <p class="form-error" role="alert">{data.message}</p>}
      <form method="post" action={`/invitations/${encodeURIComponent(data.token)}`}>
        <div class="field">
          <label for="password">
            {data.hasAccount ? "Your password" : "Choose a password"}
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete={data.hasAccount ? "current-password" : "new-password"}
            required
          />
          <span class="field-hint">
            {data.hasAccount ? `the password of ${data.email}` : "10 to 200 characters"}
          </span>
        </div>
        <button type="submit" class="button primary wide">
          {data.hasAccount ? "Sign in and join" : "Create account and join"}
        </button>
      </form>
    </div>
  );
}
