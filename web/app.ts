import { Hono } from "hono";
import { h } from "preact";
import type { AppContext, AppDeps, AppEnv } from "./app_env.ts";
import { MAX_BODY_BYTES, payloadTooLarge } from "./body.ts";
import { HttpError } from "./http_error.ts";
import { isApiPath } from "./middleware/require_json.ts";
import { requestLog } from "./middleware/request_log.ts";
import { securityHeaders } from "./middleware/security_headers.ts";
import type { Manifest, RouteModule } from "./route_types.ts";
import denoJson from "../deno.json" with { type: "json" };
import { buildOpenApi } from "./openapi.ts";
import {
  type FileRoute,
  mountRoutes,
  pageContext,
  renderDocument,
  resolveRoutes,
} from "./router.ts";

const VERSION = denoJson.version;
import { staticFiles } from "./static_files.ts";

export type { AppDeps, AppEnv } from "./app_env.ts";

/**
 * Builds the HTTP application from the route manifest: request log, security
 * headers, body limit, static files, every file route, and the one error
 * handler that maps every failure to API.md's shape (the `_404.tsx` and
 * `_500.tsx` pages for browser paths). Only 5xx are logged, with the request
 * id and the cause.
 */
export function createApp(deps: AppDeps, manifest: Manifest): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestLog(deps.log));
  app.use(securityHeaders());
  app.use(async function refuseLargeBodies(c, next) {
    const length = c.req.header("content-length");
    if (length && Number(length) > MAX_BODY_BYTES) throw payloadTooLarge();
    await next();
  });
  const assets = staticFiles(app);
  let openapi: unknown;
  const routes = resolveRoutes(manifest);
  app.use(async function provide(c, next) {
    c.set("deps", deps);
    c.set("assets", assets);
    c.set("openapi", () => openapi ??= buildOpenApi(routes, VERSION));
    await next();
  });
  mountRoutes(app, manifest);
  const rootLayout = manifest.routes["./routes/_layout.tsx"]?.default;
  const root: FileRoute["layouts"] = rootLayout ? [rootLayout] : [];
  const errorPage = (name: string): RouteModule | undefined => manifest.routes[`./routes/${name}`];

  async function renderError(c: AppContext, status: number, message: string) {
    const page = errorPage(status === 404 ? "_404.tsx" : "_500.tsx")?.default;
    const ctx = await pageContext(c, status === 404 ? "Page not found" : "Something went wrong")
      .catch(() => ({
        assets,
        nonce: c.var.cspNonce,
        path: new URL(c.req.url).pathname,
        title: "Something went wrong",
      }));
    const body = page
      ? renderDocument(root, h(page, { ctx, status, message }), ctx)
      : `<!doctype html><title>${status}</title><p>${status}</p>`;
    return c.html(body, status as 400);
  }

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    if (isApiPath(path)) {
      return c.json(new HttpError(404, "not_found", `No such path: ${path}`).toBody(), 404);
    }
    return renderError(c, 404, "There is nothing at this address.");
  });

  app.onError(async (err, c) => {
    const path = new URL(c.req.url).pathname;
    const http = err instanceof HttpError ? err : null;
    if (!http || http.status >= 500) {
      deps.log.error("request failed", {
        request_id: c.get("requestId"),
        path,
        error: err,
        ...(http?.cause ? { cause: http.cause } : {}),
      });
    }
    const e = http ??
      new HttpError(
        500,
        "internal",
        "Internal error; the request id is in the X-Request-Id header",
      );
    let res: Response;
    if (isApiPath(path)) res = c.json(e.toBody(), e.status as 400);
    else res = await renderError(c, e.status, e.message);
    for (const [k, v] of Object.entries(e.headers ?? {})) res.headers.set(k, v);
    return res;
  });

  return app;
}
