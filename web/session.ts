import { recordAudit } from "../core/audit/audit_log.ts";
import { acceptInvitation, findOpenInvitation } from "../core/auth/invitations.ts";
import { validationError } from "./body.ts";
import { tokenGeneration } from "../core/auth/sessions.ts";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import {
  EmailTakenError,
  findAccount,
  findCredentials,
  normalizeEmail,
  registerAccount,
  type Tenant,
  type User,
} from "../core/auth/accounts.ts";
import { dummyHash, hashPassword, verifyPassword } from "../core/auth/password.ts";
import { type LoginInput, type RegisterInput, registerSchema } from "../core/auth/schema.ts";
import { TOKEN_TTL_SECONDS } from "../core/auth/tokens.ts";
import { addressKey } from "../core/net/private_address.ts";
import type { AppDeps, AppEnv, HashSlots } from "./app_env.ts";
import { HttpError, notFound, rateLimited } from "./http_error.ts";
import { rateLimit } from "./middleware/rate_limit.ts";
import { SESSION_COOKIE } from "./middleware/authenticate.ts";
import { clientAddress, isCrossSite, isHttps, ownOrigin } from "./request_info.ts";

/**
 * A counting semaphore that refuses instead of queueing: each password hash
 * holds ~32 MiB while it runs, so at most `size` run at once and the rest are
 * answered `503` at once rather than piling up in memory.
 */
export function hashSlots(size: number): HashSlots {
  let used = 0;
  return {
    tryAcquire() {
      if (used >= size) return false;
      used++;
      return true;
    },
    release() {
      used = Math.max(0, used - 1);
    },
  };
}

/** Runs `fn` (which hashes a password) in a hash slot, or answers `503` with `Retry-After`. */
export async function withHashSlot<T>(deps: AppDeps, fn: () => Promise<T>): Promise<T> {
  if (!deps.hashSlots.tryAcquire()) {
    throw new HttpError(503, "unavailable", "Too many sign-ins at once; try again in a second", {
      headers: { "Retry-After": "1" },
    });
  }
  try {
    return await fn();
  } finally {
    deps.hashSlots.release();
  }
}

/** Refuses a cross-site login, register or logout with `403` (API.md): no cookie is set. */
export function refuseCrossSite(c: Context<AppEnv>): void {
  if (isCrossSite(c, c.var.deps.config.trustProxy)) {
    throw new HttpError(403, "forbidden", "This request must come from V-Insight's own pages");
  }
}

/** Issues a token and sets the session cookie; answers API.md's session shape. */
export async function startSession(
  c: Context<AppEnv>,
  account: { user: User; tenant: Tenant },
): Promise<{ token: string; expires_at: string; user: User; tenant: Tenant }> {
  const deps = c.var.deps;
  const generation = await tokenGeneration(deps.db, account.user.id);
  const { token, expiresAt } = await deps.tokens.issue(
    { userId: account.user.id, tenantId: account.tenant.id },
    { generation },
  );
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c, deps.config.trustProxy),
    path: "/",
    maxAge: TOKEN_TTL_SECONDS,
  });
  return { token, expires_at: expiresAt.toISOString(), ...account };
}

/** Clears the session cookie. */
export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    secure: isHttps(c, c.var.deps.config.trustProxy),
  });
}

/** The per-address limit of registrations, for the API route and the form alike. */
export const registerLimit = rateLimit({
  limiter: "registerByAddress",
  message: "Too many registrations from this address",
});

/**
 * Checks a sign-in. The attempt counts against the per-email and per-address
 * limits before the database is read or the password hashed, so concurrent
 * attempts cannot slip past the limit together; a success takes its count
 * back. Unknown emails cost a full hash too, so timing tells nothing.
 */
export async function checkLogin(
  c: Context<AppEnv>,
  input: LoginInput,
): Promise<{ user: User; tenant: Tenant }> {
  const found = await checkPassword(c, input);
  if (!found.tenant) {
    throw new HttpError(
      403,
      "forbidden",
      "This account belongs to no tenant any more; ask an owner for an invitation",
    );
  }
  return { user: found.user, tenant: found.tenant };
}

/** {@linkcode checkLogin} without asking for a tenant: the account, whichever tenants it has. */
export async function checkPassword(
  c: Context<AppEnv>,
  input: LoginInput,
): Promise<{ user: User; tenant: Tenant | null }> {
  const deps = c.var.deps;
  const address = addressKey(clientAddress(c, deps.config.trustProxy));
  const emailKey = normalizeEmail(input.email);
  const { loginByEmail, loginByAddress } = deps.limiters;
  const wait = Math.max(loginByEmail.retryAfter(emailKey), loginByAddress.retryAfter(address));
  if (wait > 0) throw rateLimited(wait, "Too many failed sign-in attempts");
  loginByEmail.hit(emailKey);
  loginByAddress.hit(address);
  const found = await withHashSlot(deps, async () => {
    const found = await findCredentials(deps.db, emailKey);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? await dummyHash());
    return found && ok ? found : null;
  });
  if (!found) {
    throw new HttpError(401, "invalid_credentials", "Email or password is wrong");
  }
  loginByEmail.reset(emailKey);
  loginByAddress.undo(address);
  return { user: found.user, tenant: found.tenant };
}

/** Registers a tenant and its owner (the routes count it with {@linkcode registerLimit}). */
export async function checkRegister(
  c: Context<AppEnv>,
  input: RegisterInput,
): Promise<{ user: User; tenant: Tenant }> {
  const deps = c.var.deps;
  try {
    return await withHashSlot(deps, () =>
      registerAccount(deps.db, {
        email: input.email,
        password: input.password,
        tenantName: input.tenant_name,
      }));
  } catch (e) {
    if (e instanceof EmailTakenError) {
      throw new HttpError(409, "conflict", "An account with this email already exists");
    }
    throw e;
  }
}

/**
 * Accepts an invitation: an invited email without an account gets one with
 * `password`; one with an account proves it with its own password (counted
 * like a sign-in). The token is single use; a used, withdrawn, expired or
 * unknown one is `404`. Answers the account in the inviting tenant.
 */
export async function checkAcceptInvitation(
  c: Context<AppEnv>,
  input: { token: string; password: string },
): Promise<{ user: User; tenant: Tenant }> {
  const db = c.var.deps.db;
  const invitation = await findOpenInvitation(db, input.token);
  if (!invitation) throw notFound("Invitation");
  const [existing] = await db.query<{ id: string }>(
    "SELECT id FROM users WHERE lower(email) = $1",
    [invitation.email],
  );
  let account;
  if (existing) {
    await checkPassword(c, { email: invitation.email, password: input.password });
    account = await acceptInvitation(db, invitation.id, { userId: existing.id });
  } else {
    const checked = registerSchema.shape.password.safeParse(input.password);
    if (!checked.success) {
      throw validationError("Cannot accept the invitation", [
        { path: "password", message: checked.error.issues[0].message },
      ]);
    }
    const newPasswordHash = await withHashSlot(c.var.deps, () => hashPassword(input.password));
    try {
      account = await acceptInvitation(db, invitation.id, { newPasswordHash });
    } catch (e) {
      if (e instanceof EmailTakenError) {
        throw new HttpError(
          409,
          "conflict",
          "An account with the invited email was just created: accept with its password",
        );
      }
      throw e;
    }
  }
  if (!account) throw notFound("Invitation");
  await recordAudit(
    db,
    account.tenant.id,
    { type: "user", id: account.user.id, label: account.user.email },
    { action: "member.joined", targetType: "member", targetId: account.user.id },
  );
  return account;
}

/** The signed-in account of a request whose principal is set, or `null`. */
export async function currentAccount(c: Context<AppEnv>) {
  const p = c.var.principal;
  if (!p) return null;
  return await findAccount(c.var.deps.db, p.userId, p.tenantId);
}

/**
 * Where the sign-in form may lead: `next` resolved against our own origin,
 * kept only when it stays on it. Control characters and backslashes (which
 * browsers read as slashes) are refused outright.
 */
export function safeNext(c: Context<AppEnv>, next: string | undefined | null): string {
  const fallback = "/dashboard";
  // deno-lint-ignore no-control-regex
  if (!next || !next.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  const origin = ownOrigin(c, c.var.deps.config.trustProxy);
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  return url.pathname + url.search + url.hash;
}
