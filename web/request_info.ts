import type { Context } from "hono";
import { isUuid } from "../core/db/rows.ts";
import type { AppEnv } from "./app_env.ts";
import { notFound } from "./http_error.ts";

/** The client's address: the socket peer, or the proxy's last hop when `TRUST_PROXY`. */
export function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).at(
      -1,
    );
    if (last) return last;
  }
  return c.env?.remoteAddr?.hostname ?? "unknown";
}

/** Whether the client reached us over https (directly or through a trusted proxy). */
export function isHttps(c: Context<AppEnv>, trustProxy: boolean): boolean {
  if (trustProxy) {
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0].trim()
      .toLowerCase();
    if (proto) return proto === "https";
  }
  return new URL(c.req.url).protocol === "https:";
}

/** The server's own origin as the browser sees it. */
export function ownOrigin(c: Context<AppEnv>, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const host = (trustProxy && c.req.header("x-forwarded-host")) ||
    c.req.header("host") || url.host;
  return `${isHttps(c, trustProxy) ? "https" : "http"}://${host}`;
}

/**
 * The `:id` path parameter when it is a canonical UUID; otherwise
 * `404 not_found` for `what`, exactly as for an id that does not exist.
 */
export function idParam(c: Context<AppEnv>, what: string): string {
  const id = c.req.param("id") ?? "";
  if (!isUuid(id)) throw notFound(what);
  return id;
}

/**
 * True when a request that changes state came from our own pages: its
 * `Origin` is ours, or without an `Origin`, `Sec-Fetch-Site: same-origin`.
 */
export function isSameOrigin(c: Context<AppEnv>, trustProxy: boolean): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined) return origin === ownOrigin(c, trustProxy);
  return c.req.header("sec-fetch-site") === "same-origin";
}

/**
 * True when a browser says the request is cross-site: an `Origin` other than
 * ours, or `Sec-Fetch-Site: cross-site` / `same-site`. A client that sends
 * neither (curl, a script) is not a browser on another site.
 */
export function isCrossSite(c: Context<AppEnv>, trustProxy: boolean): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined) return origin !== ownOrigin(c, trustProxy);
  const site = c.req.header("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}
