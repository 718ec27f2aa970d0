import { tenantsOf } from "../core/auth/accounts.ts";
import { latestEventId } from "../core/events/event_log.ts";
import type { Handler, Hono, MiddlewareHandler } from "hono";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import type { AppContext, AppEnv, RenderOptions, RouteConfig } from "./app_env.ts";
import { HttpError } from "./http_error.ts";
import { loginRedirect } from "./middleware/authenticate.ts";
import type {
  Handlers,
  Manifest,
  Method,
  MethodHandler,
  PageContext,
  RouteHandler,
  RouteModule,
} from "./route_types.ts";
import { currentAccount } from "./session.ts";

const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** One file route, resolved from the manifest. */
export interface FileRoute {
  /** The Hono path, e.g. `/api/v1/monitors/:id/check`. */
  path: string;
  file: string;
  module: RouteModule;
  /** `_middleware.ts` handlers of the enclosing folders, outermost first. */
  middleware: MiddlewareHandler<AppEnv>[];
  /** `_layout.tsx` components of the enclosing folders, outermost first. */
  layouts: NonNullable<RouteModule["default"]>[];
}

/**
 * The URL path of a route file under `./routes/`, in Fresh's conventions:
 * `index` is the folder itself, `[id]` a parameter, `[...rest]` the rest.
 *
 * @example
 * routePath("./routes/api/v1/monitors/[id]/check.ts"); // "/api/v1/monitors/:id/check"
 * routePath("./routes/index.tsx"); // "/"
 */
export function routePath(file: string): string {
  const rel = file.replace(/^\.\/routes\//, "").replace(/\.(tsx?|jsx?)$/, "");
  const segments = rel.split("/").filter((s, i, all) => !(s === "index" && i === all.length - 1));
  const path = segments.map((s) => {
    const rest = /^\[\.\.\.(\w+)\]$/.exec(s);
    if (rest) return "*";
    const param = /^\[(\w+)\]$/.exec(s);
    return param ? `:${param[1]}` : s;
  }).join("/");
  return "/" + path;
}

/** Orders routes so that a static segment wins over a parameter at the same place. */
function compareRoutes(a: string, b: string): number {
  const sa = a.split("/"), sb = b.split("/");
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] === sb[i]) continue;
    const da = /^[:*]/.test(sa[i]), db = /^[:*]/.test(sb[i]);
    if (da !== db) return da ? 1 : -1;
    return sa[i] < sb[i] ? -1 : 1;
  }
  return sa.length - sb.length;
}

function folderOf(file: string): string {
  return file.slice(0, file.lastIndexOf("/") + 1);
}

/** Resolves the manifest into routes with their folder middleware and layouts, in match order. */
export function resolveRoutes(manifest: Manifest): FileRoute[] {
  const entries = Object.entries(manifest.routes);
  const special = (name: string) => entries.filter(([f]) => f.endsWith(`/${name}`));
  const middlewares = special("_middleware.ts").map(([f, m]) => ({ folder: folderOf(f), m }));
  const layouts = special("_layout.tsx").map(([f, m]) => ({ folder: folderOf(f), m }));
  const routes: FileRoute[] = [];
  for (const [file, module] of entries) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    if (name.startsWith("_")) continue;
    const inside = <T extends { folder: string }>(list: T[]) =>
      list.filter((x) => file.startsWith(x.folder)).sort((a, b) =>
        a.folder.length - b.folder.length
      );
    routes.push({
      path: routePath(file),
      file,
      module,
      middleware: inside(middlewares).flatMap(({ m }) => {
        const handler = m.handler as MiddlewareHandler<AppEnv> | MiddlewareHandler<AppEnv>[];
        return Array.isArray(handler) ? handler : handler ? [handler] : [];
      }),
      layouts: inside(layouts).map(({ m }) => m.default!).filter(Boolean),
    });
  }
  return routes.sort((a, b) => compareRoutes(a.path, b.path));
}

/** The page context of a request: assets, CSP nonce, path, and the signed-in account. */
export async function pageContext(c: AppContext, title: string): Promise<PageContext> {
  const account = c.var.principal ? await currentAccount(c) : null;
  const tenants = account && !c.var.apiKey
    ? await tenantsOf(c.var.deps.db, account.user.id)
    : undefined;
  return {
    assets: c.var.assets,
    nonce: c.var.cspNonce,
    path: new URL(c.req.url).pathname,
    title,
    tenantName: account?.tenant.name,
    tenantId: account?.tenant.id,
    tenants,
    email: account?.user.email,
    eventsAfter: account ? c.var.eventsAfter : undefined,
  };
}

/** Renders a component inside layouts to a complete HTML document. */
export function renderDocument(
  layouts: FileRoute["layouts"],
  node: preact.VNode,
  ctx: PageContext,
): string {
  let tree = node;
  for (const layout of [...layouts].reverse()) tree = h(layout, { ctx }, tree);
  return "<!doctype html>" + renderToString(tree);
}

function pageRenderer(route: FileRoute, c: AppContext) {
  return async (data?: unknown, opts: RenderOptions = {}): Promise<Response> => {
    const page = route.module.default;
    if (!page) throw new TypeError(`${route.file} has no page component to render`);
    const ctx = await pageContext(c, opts.title ?? "V-Insight");
    if ((route.module.config?.auth ?? "required") === "required" && ctx.tenantName === undefined) {
      return loginRedirect(c); // the account of this session no longer exists
    }
    const node = h(page, {
      data,
      ctx,
      params: c.req.param() as Record<string, string>,
      url: new URL(c.req.url),
    });
    return c.html(renderDocument(route.layouts, node, ctx), (opts.status ?? 200) as 200, {
      "Cache-Control": ctx.tenantName === undefined ? "no-cache" : "no-store",
    });
  };
}

function handlersOf(route: FileRoute): Handlers {
  const h = route.module.handler as Handlers | undefined;
  if (h && typeof h === "object" && !Array.isArray(h)) return h;
  if (route.module.default) {
    // A page without a handler renders itself on GET (Fresh's default).
    return { GET: (c) => c.var.render() };
  }
  throw new TypeError(`${route.file} exports neither a handler nor a page`);
}

function split(h: MethodHandler): { before: MiddlewareHandler<AppEnv>[]; final: RouteHandler } {
  if (Array.isArray(h)) {
    return {
      before: h.slice(0, -1) as MiddlewareHandler<AppEnv>[],
      final: h[h.length - 1] as RouteHandler,
    };
  }
  return { before: [], final: h };
}

/**
 * Registers every file route on the app: per method the route's config, the
 * folder middleware, the method's own middleware and the handler; `HEAD` runs
 * `GET` and drops its body (cancelling a stream, so nothing stays open); any
 * other method is `405 method_not_allowed` with `Allow`.
 */
export function mountRoutes(app: Hono<AppEnv>, manifest: Manifest): FileRoute[] {
  const routes = resolveRoutes(manifest);
  for (const route of routes) {
    const config: RouteConfig = route.module.config ?? {};
    const handlers = handlersOf(route);
    const allowed = METHODS.filter((m) => handlers[m]);
    const prepare: MiddlewareHandler<AppEnv> = async function prepareRoute(c, next) {
      c.set("route", config);
      c.set("render", pageRenderer(route, c));
      await next();
    };
    for (const method of allowed) {
      const { before, final } = split(handlers[method]!);
      const page = method === "GET" && route.module.default !== undefined;
      const run: Handler<AppEnv> = async (c) => {
        // Read before the page reads its data: an event committed in between is both in the
        // page and replayed to its stream (applied twice, harmlessly), never in neither.
        if (page && c.var.principal) {
          c.set("eventsAfter", await latestEventId(c.var.deps.db, c.var.principal.tenantId));
        }
        const res = await final(c);
        if (c.req.method === "HEAD" && res.body) {
          await res.body.cancel().catch(() => {});
          return new Response(null, { status: res.status, headers: res.headers });
        }
        return res;
      };
      app.on([method], [route.path], prepare, ...route.middleware, ...before, run);
    }
    const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", ");
    app.all(route.path, () => {
      throw new HttpError(
        405,
        "method_not_allowed",
        `Method not allowed; this path accepts ${allow}`,
        { headers: { Allow: allow } },
      );
    });
  }
  return routes;
}
