import type { OpenApiOperation } from "../../../../../../web/route_types.ts";
import type { RouteConfig } from "../../../../../../web/app_env.ts";
import { validationError } from "../../../../../../web/body.ts";
import { notFound } from "../../../../../../web/http_error.ts";
import { rateLimit } from "../../../../../../web/middleware/rate_limit.ts";
import type { Handlers } from "../../../../../../web/route_types.ts";

export const config: RouteConfig = { auth: "none" };

const HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache",
  "X-Accel-Buffering": "no",
};

/**
 * `GET /api/v1/public/status/:slug/events`: the page's `component_status`
 * frames, live, with Last-Event-ID replay; for anyone, for a published page.
 */
export const handler: Handlers = {
  GET: [
    rateLimit({ limiter: "streamsByAddress", message: "Too many new event streams" }),
    async (c) => {
      const raw = c.req.header("last-event-id") ??
        new URL(c.req.url).searchParams.get("last_event_id");
      if (raw && !/^\d{1,15}$/.test(raw)) {
        throw validationError("Cannot open event stream", [{
          path: "Last-Event-ID",
          message: "must be an event id (a whole number)",
        }]);
      }
      const slug = c.req.param("slug") ?? "";
      if (c.req.method === "HEAD") {
        if (!await c.var.deps.publicStatus.get(slug)) throw notFound("Status page");
        return new Response(null, { headers: HEADERS });
      }
      const stream = await c.var.deps.publicStreams.open(slug, raw ? Number(raw) : null);
      if (!stream) throw notFound("Status page");
      return new Response(stream, { headers: HEADERS });
    },
  ],
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "A published status page's live events (text/event-stream)" },
};
