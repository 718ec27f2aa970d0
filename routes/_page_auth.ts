import type { Context } from "hono";
import { findAccount } from "../core/auth/accounts.ts";
import type { AppDeps, AppEnv } from "./_env.ts";
import { resolvePrincipal } from "./_middleware/authenticate.ts";

/** The signed-in account of a page request, or `null` (the caller redirects to /login). */
export async function pageAccount(c: Context<AppEnv>, deps: AppDeps) {
  const found = await resolvePrincipal(c, deps);
  if (!found) return null;
  return await findAccount(deps.db, found.principal.userId, found.principal.tenantId);
}

/** `/login?next=<this page>`. */
export function loginRedirect(c: Context<AppEnv>) {
  const url = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
}

/** Only same-site paths may be a `next` target. */
export function safeNext(next: string | undefined | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")
    ? next
    : "/dashboard";
}
