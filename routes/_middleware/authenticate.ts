import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { redeemTicket } from "../../core/auth/tickets.ts";
import type { Principal } from "../../core/auth/tokens.ts";
import { HttpError } from "../../core/http_error.ts";
import type { AppDeps, AppEnv } from "../_env.ts";
import { ownOrigin } from "../_http.ts";

/** The session cookie's name (API.md). */
export const SESSION_COOKIE = "vi_session";

/** Options of {@linkcode authenticate}. */
export interface AuthenticateOptions {
  /** Accept `?ticket=` and `?token=` (the event stream only). @default false */
  allowQuery?: boolean;
}

/**
 * Finds who the request acts as: a Bearer token, the session cookie, or (for
 * the event stream) a single-use ticket or a token in the query. Cookie
 * requests that change state must come from our own origin (CSRF).
 */
export async function resolvePrincipal(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, "tokens" | "db" | "config">,
  opts: AuthenticateOptions = {},
): Promise<
  { principal: Principal; via: "bearer" | "cookie" | "query" } | null
> {
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = m ? await deps.tokens.verify(m[1]) : null;
    return principal ? { principal, via: "bearer" } : null;
  }
  if (opts.allowQuery) {
    const params = new URL(c.req.url).searchParams;
    const ticket = params.get("ticket");
    if (ticket !== null) {
      const principal = await redeemTicket(deps.db, ticket);
      return principal ? { principal, via: "query" } : null;
    }
    const token = params.get("token");
    if (token !== null) {
      const principal = await deps.tokens.verify(token);
      return principal ? { principal, via: "query" } : null;
    }
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) {
    const principal = await deps.tokens.verify(cookie);
    return principal ? { principal, via: "cookie" } : null;
  }
  return null;
}

/** True when a cookie-authenticated request that changes state came from our own pages. */
export function isSameOrigin(c: Context<AppEnv>, trustProxy: boolean): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined) return origin === ownOrigin(c, trustProxy);
  return c.req.header("sec-fetch-site") === "same-origin";
}

/**
 * Refuses unauthenticated requests with 401 and cross-site cookie requests
 * that change state with 403; sets `principal` on the context.
 */
export function authenticate(
  deps: Pick<AppDeps, "tokens" | "db" | "config">,
  opts: AuthenticateOptions = {},
): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const found = await resolvePrincipal(c, deps, opts);
    if (!found) {
      throw new HttpError(
        401,
        "unauthorized",
        "Authentication required: send a Bearer token or sign in",
      );
    }
    const safe = c.req.method === "GET" || c.req.method === "HEAD" ||
      c.req.method === "OPTIONS";
    if (
      found.via === "cookie" && !safe &&
      !isSameOrigin(c, deps.config.trustProxy)
    ) {
      throw new HttpError(
        403,
        "forbidden",
        "Cross-site request refused: the Origin is not this server",
      );
    }
    c.set("principal", found.principal);
    c.set("authVia", found.via);
    await next();
  };
}
