import { Hono } from "hono";
import { HttpError } from "../core/http_error.ts";
import type { AppDeps, AppEnv } from "./_env.ts";
import { MAX_BODY_BYTES } from "./_http.ts";
import { requestLog } from "./_middleware/request_log.ts";
import { securityHeaders } from "./_middleware/security_headers.ts";
import { alertRuleRoutes } from "./api/v1/alert_rules.ts";
import { authRoutes } from "./api/v1/auth.ts";
import { incidentRoutes } from "./api/v1/incidents.ts";
import { monitorRoutes } from "./api/v1/monitors.ts";
import { streamRoutes } from "./api/v1/stream.ts";
import { opsRoutes } from "./ops.ts";
import { pageRoutes } from "./pages.tsx";

export type { AppDeps, AppEnv } from "./_env.ts";

function isApiPath(path: string): boolean {
  return path.startsWith("/api/") || path === "/api" || path === "/healthz" ||
    path === "/readyz" ||
    path === "/metrics";
}

/**
 * Builds the HTTP application: middleware, the API, the pages, and the one
 * error handler that maps every failure to API.md's shape (HTML for pages).
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestLog(deps.log));
  app.use(securityHeaders());
  app.use(async function refuseLargeBodies(c, next) {
    const length = c.req.header("content-length");
    if (length && Number(length) > MAX_BODY_BYTES) {
      throw new HttpError(
        413,
        "payload_too_large",
        `Request body exceeds ${MAX_BODY_BYTES} bytes`,
      );
    }
    await next();
  });
  app.use("/api/*", async function noStore(c, next) {
    await next();
    if (!c.res.headers.has("Cache-Control")) {
      c.res.headers.set("Cache-Control", "no-store");
    }
  });

  opsRoutes(app, deps);
  authRoutes(app, deps);
  monitorRoutes(app, deps);
  alertRuleRoutes(app, deps);
  incidentRoutes(app, deps);
  streamRoutes(app, deps);
  pageRoutes(app, deps);

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    if (isApiPath(path)) {
      return c.json(
        new HttpError(404, "not_found", `No such path: ${path}`).toBody(),
        404,
      );
    }
    return c.html(
      errorPage(404, "Page not found", "There is nothing at this address."),
      404,
    );
  });

  app.onError((err, c) => {
    const path = new URL(c.req.url).pathname;
    const http = err instanceof HttpError ? err : null;
    if (!http || http.status >= 500) {
      deps.log.error("request failed", {
        request_id: c.get("requestId"),
        path,
        error: err,
      });
    }
    const e = http ??
      new HttpError(
        500,
        "internal",
        "Internal error; the request id is in the X-Request-Id header",
      );
    const headers = e.headers ?? {};
    if (isApiPath(path)) {
      return c.json(e.toBody(), e.status as 400, headers);
    }
    return c.html(
      errorPage(e.status, "Something went wrong", e.message),
      e.status as 400,
      headers,
    );
  });

  return app;
}

function errorPage(status: number, title: string, message: string): string {
  const esc = (s: string) =>
    s.replace(
      /[&<>"']/g,
      (ch) =>
        ({
          "&": "&amp;",
          "<": "&lt;",
          ">": "&gt;",
          '"': "&quot;",
          "'": "&#39;",
        })[ch]!,
    );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status} · V-Insight</title><link rel="stylesheet" href="/static/app.css"></head><body class="error-page"><main class="card narrow"><h1>${
    esc(title)
  }</h1><p>${esc(message)}</p><p><a href="/">V-Insight home</a></p></main></body></html>`;
}
