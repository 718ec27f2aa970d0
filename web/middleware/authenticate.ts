import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { verifyApiKey } from "../../core/auth/api_keys.ts";
import { hasRole, keyRole, type Role } from "../../core/auth/roles.ts";
import { memberRole, sessionRole } from "../../core/auth/sessions.ts";
import { peekTicket, redeemTicket } from "../../core/auth/tickets.ts";
import type { Principal, TokenClaims } from "../../core/auth/tokens.ts";
import type { AppDeps, AppEnv } from "../app_env.ts";
import { HttpError } from "../http_error.ts";
import { isSameOrigin } from "../request_info.ts";
import { isApiPath } from "./require_json.ts";

/** The session cookie's name (API.md). */
export const SESSION_COOKIE = "vi_session";

/** Options of {@linkcode resolvePrincipal}. */
export interface ResolveOptions {
  /** Accept `?ticket=` and `?token=` (the event stream only). @default false */
  queryCredentials?: boolean;
}

/**
 * Finds who the request acts as: a Bearer token or API key (`vik_…`), the session cookie, or (for
 * the event stream) a single-use ticket or a token in the query. A `HEAD`
 * request looks at a ticket without using it up (API.md).
 */
export async function resolvePrincipal(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, "tokens" | "db">,
  opts: ResolveOptions = {},
): Promise<
  | { principal: Principal; role: Role; via: "bearer" | "cookie" | "query" }
  | {
    principal: Principal;
    role: Role;
    via: "api_key";
    scope: "read" | "write";
    id: string;
    name: string;
  }
  | null
> {
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (m && m[1].startsWith("vik_")) {
      const key = await verifyApiKey(deps.db, m[1]);
      return key
        ? {
          principal: { userId: key.userId, tenantId: key.tenantId },
          role: keyRole(key.scope),
          via: "api_key",
          scope: key.scope,
          id: key.id,
          name: key.name,
        }
        : null;
    }
    const live = m ? await liveToken(deps, m[1]) : null;
    return live ? { ...live, via: "bearer" } : null;
  }
  if (opts.queryCredentials) {
    const params = new URL(c.req.url).searchParams;
    const ticket = params.get("ticket");
    if (ticket !== null) {
      const principal = c.req.method === "HEAD"
        ? await peekTicket(deps.db, ticket)
        : await redeemTicket(deps.db, ticket);
      const role = principal && await memberRole(deps.db, principal.userId, principal.tenantId);
      return principal && role ? { principal, role, via: "query" } : null;
    }
    const token = params.get("token");
    if (token !== null) {
      const live = await liveToken(deps, token);
      return live ? { ...live, via: "query" } : null;
    }
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) {
    const live = await liveToken(deps, cookie);
    return live ? { ...live, via: "cookie" } : null;
  }
  return null;
}

/**
 * A token that verifies, whose session has not been ended and whose user is
 * still a member of its tenant, with the member's role (`core/auth/sessions.ts`).
 */
async function liveToken(
  deps: Pick<AppDeps, "tokens" | "db">,
  token: string,
): Promise<{ principal: TokenClaims; role: Role } | null> {
  const claims = await deps.tokens.verify(token);
  const role = claims && await sessionRole(deps.db, claims);
  return claims && role ? { principal: claims, role } : null;
}

/** `/login?next=<this page>`. */
export function loginRedirect(c: Context<AppEnv>): Response {
  const url = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
}

/**
 * Authenticates by the route's `config.auth`: sets `principal` when a
 * credential resolves; without one, a required route answers `401` (API) or
 * redirects to /login (pages). A cookie-authenticated request that changes
 * state must come from our own origin, else `403` (CSRF).
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const route = c.var.route;
    const mode = route.auth ?? "required";
    if (mode === "none") return await next();
    const deps = c.var.deps;
    const found = await resolvePrincipal(c, deps, { queryCredentials: route.queryCredentials });
    if (!found) {
      if (mode === "optional") return await next();
      if (!isApiPath(new URL(c.req.url).pathname)) return loginRedirect(c);
      throw new HttpError(
        401,
        "unauthorized",
        "Authentication required: send a Bearer token or sign in",
      );
    }
    const safe = c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS";
    if (found.via === "api_key") {
      // A key acts as an editor (write) or a viewer (read), and never manages keys or people.
      if (route.noApiKeys) {
        throw new HttpError(
          403,
          "forbidden",
          "API keys cannot manage keys, members or invitations, read the audit log or end " +
            "sessions; sign in instead",
        );
      }
    }
    if (found.via === "cookie" && !safe && !isSameOrigin(c, deps.config.trustProxy)) {
      throw new HttpError(
        403,
        "forbidden",
        "Cross-site request refused: the Origin is not this server",
      );
    }
    // Reads need a viewer, writes an editor, unless the route asks otherwise (API.md, roles).
    const needed = route.role ?? (safe ? "viewer" : "editor");
    if (!hasRole(found.role, needed)) {
      throw new HttpError(
        403,
        "forbidden",
        found.via === "api_key"
          ? `This needs the ${needed} role; a ${found.scope} API key acts as ${found.role}`
          : `This needs the ${needed} role; you are ${
            found.role === "admin" ? "an" : "a"
          } ${found.role}`,
      );
    }
    c.set("principal", found.principal);
    c.set("role", found.role);
    c.set("authVia", found.via);
    if (found.via === "api_key") {
      c.set("apiKey", { id: found.id, name: found.name, scope: found.scope });
    }
    await next();
  };
}
