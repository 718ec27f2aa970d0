import type { Handler, Hono, MiddlewareHandler } from "hono";
import { HttpError } from "../core/http_error.ts";
import type { AppEnv } from "./_env.ts";

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
type Handlers = Handler<AppEnv> | [
  ...MiddlewareHandler<AppEnv>[],
  Handler<AppEnv>,
];

/**
 * Registers the handlers of one path by method, and answers every other
 * method with `405 method_not_allowed` and an `Allow` header.
 */
export function route(
  app: Hono<AppEnv>,
  path: string,
  handlers: Partial<Record<Method, Handlers>>,
): void {
  const allowed = Object.keys(handlers) as Method[];
  for (const method of allowed) {
    const h = handlers[method]!;
    const chain = (Array.isArray(h) ? h : [h]) as Handler<AppEnv>[];
    // Hono answers HEAD with the GET handler.
    app.on([method], [path], ...chain);
  }
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(
    ", ",
  );
  app.all(path, () => {
    throw new HttpError(
      405,
      "method_not_allowed",
      `Method not allowed; this path accepts ${allow}`,
      undefined,
      {
        Allow: allow,
      },
    );
  });
}
