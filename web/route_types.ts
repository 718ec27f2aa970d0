import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { ComponentChildren, ComponentType } from "preact";
import type { AppContext, AppEnv, RouteConfig } from "./app_env.ts";
import type { StaticAssets } from "./app_env.ts";

/** The HTTP methods a route may answer. `HEAD` is answered by `GET`, without a body. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One method's handler. */
export type RouteHandler = (c: AppContext) => Response | Promise<Response>;

/** A method's handler, optionally behind route-specific middleware (a rate limit). */
export type MethodHandler = RouteHandler | [...MiddlewareHandler<AppEnv>[], RouteHandler];

/** What a route file exports as `handler`: one entry per method (Fresh's `Handlers`). */
export type Handlers = Partial<Record<Method, MethodHandler>>;

/** What a page render needs besides its data. */
export interface PageContext {
  assets: StaticAssets;
  nonce: string;
  path: string;
  title: string;
  /** The signed-in tenant's name, for the header; absent when signed out. */
  tenantName?: string;
  tenantId?: number;
  email?: string;
  /** Every tenant of the signed-in user (the header's switcher). */
  tenants?: { id: number; name: string; role: string }[];
  /** The tenant's last event id before the page read its data (see `AppEnv`). */
  eventsAfter?: number;
}

/** The props of a page component (Fresh's `PageProps`). */
export interface PageProps<T = undefined> {
  data: T;
  ctx: PageContext;
  params: Record<string, string>;
  url: URL;
}

/** The props of a `_layout.tsx` component. */
export interface LayoutProps {
  ctx: PageContext;
  children: ComponentChildren;
}

/** The props of `_404.tsx` and `_500.tsx`. */
export interface ErrorPageProps {
  ctx: PageContext;
  status: number;
  message: string;
}

/** What the OpenAPI document says of one method of a route: the schemas are the ones it validates with. */
export interface OpenApiOperation {
  summary: string;
  /** The JSON body's schema. */
  body?: z.ZodType;
  /** The query string's schema. */
  query?: z.ZodType;
}

/** One module of the manifest: a route, a `_middleware.ts`, a `_layout.tsx` or an error page. */
export interface RouteModule {
  handler?: Handlers | MiddlewareHandler<AppEnv> | MiddlewareHandler<AppEnv>[];
  config?: RouteConfig;
  /** Per method, what `GET /api/v1/openapi.json` says of it. */
  openapi?: Partial<Record<Method, OpenApiOperation>>;
  // deno-lint-ignore no-explicit-any
  default?: ComponentType<any>;
}

/** The generated manifest (`routes.gen.ts`, made by `deno task manifest`). */
export interface Manifest {
  routes: Record<string, RouteModule>;
}
