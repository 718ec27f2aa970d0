import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { TooManyStreamsError } from "../../../../core/sse/hub.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { validationError } from "../../../../web/body.ts";
import { HttpError } from "../../../../web/http_error.ts";
import { rateLimit } from "../../../../web/middleware/rate_limit.ts";
import type { Handlers } from "../../../../web/route_types.ts";

export const config: RouteConfig = { queryCredentials: true };

const STREAM_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache",
  "X-Accel-Buffering": "no",
  "Connection": "keep-alive",
};

function parseLastEventId(value: string | null | undefined, path: string): number | null {
  if (value === null || value === undefined || value === "") return null;
  if (!/^\d{1,15}$/.test(value)) {
    throw validationError("Cannot open event stream", [{
      path,
      message: "must be an event id (a whole number)",
    }]);
  }
  return Number(value);
}

/**
 * `GET /api/v1/stream/events` (API.md, "The event stream"). `HEAD` answers
 * the headers only: it opens no stream and, by the authenticate middleware,
 * uses no ticket up.
 */
export const handler: Handlers = {
  GET: [
    rateLimit({ limiter: "streamsByAddress", message: "Too many new event streams" }),
    (c) => {
      const url = new URL(c.req.url);
      const lastId = parseLastEventId(c.req.header("last-event-id"), "Last-Event-ID") ??
        parseLastEventId(url.searchParams.get("last_event_id"), "last_event_id");
      if (c.req.method === "HEAD") {
        return new Response(null, { status: 200, headers: STREAM_HEADERS });
      }
      let stream;
      try {
        // The stream ends through its cancel() when the client goes away.
        const p = c.var.principal;
        const key = c.var.apiKey;
        stream = c.var.deps.hub.open(
          p.tenantId,
          lastId,
          undefined,
          key ? { apiKeyId: key.id } : { userId: p.userId, sessionId: p.sessionId },
        );
      } catch (e) {
        if (e instanceof TooManyStreamsError) {
          throw new HttpError(429, "rate_limited", e.message, { headers: { "Retry-After": "5" } });
        }
        throw e;
      }
      return new Response(stream.readable, { status: 200, headers: STREAM_HEADERS });
    },
  ],
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "The tenant's event stream (text/event-stream)" },
};
