import type { Hono, MiddlewareHandler } from "hono";
import { issueTicket } from "../../../core/auth/tickets.ts";
import { HttpError } from "../../../core/http_error.ts";
import { TooManyStreamsError } from "../../../core/sse/hub.ts";
import type { AppDeps, AppEnv } from "../../_env.ts";
import { clientAddress, validationError } from "../../_http.ts";
import { authenticate } from "../../_middleware/authenticate.ts";
import { route } from "../../_route.ts";

function parseLastEventId(
  value: string | null | undefined,
  path: string,
): number | null {
  if (value === null || value === undefined || value === "") return null;
  if (!/^\d{1,15}$/.test(value)) {
    throw validationError("Cannot open event stream", [{
      path,
      message: "must be an event id (a whole number)",
    }]);
  }
  return Number(value);
}

/** `/api/v1/stream/tickets` and `/api/v1/stream/events` (API.md, "The event stream"). */
export function streamRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  route(app, "/api/v1/stream/tickets", {
    POST: [authenticate(deps), async (c) => {
      const { ticket, expiresAt } = await issueTicket(
        deps.db,
        c.get("principal"),
      );
      return c.json({ ticket, expires_at: expiresAt.toISOString() }, 201);
    }],
  });

  const limitNewStreams: MiddlewareHandler<AppEnv> = async function limitNewStreams(c, next) {
    const address = clientAddress(c, deps.config.trustProxy);
    const wait = deps.limiters.streamsByAddress.retryAfter(address);
    if (wait > 0) {
      throw new HttpError(
        429,
        "rate_limited",
        `Too many new event streams; try again in ${wait} s`,
        undefined,
        {
          "Retry-After": String(wait),
        },
      );
    }
    deps.limiters.streamsByAddress.hit(address);
    await next();
  };

  route(app, "/api/v1/stream/events", {
    GET: [limitNewStreams, authenticate(deps, { allowQuery: true }), (c) => {
      const url = new URL(c.req.url);
      const lastId = parseLastEventId(c.req.header("last-event-id"), "Last-Event-ID") ??
        parseLastEventId(
          url.searchParams.get("last_event_id"),
          "last_event_id",
        );
      let stream;
      try {
        // The stream ends through its cancel() when the client goes away.
        stream = deps.hub.open(c.get("principal").tenantId, lastId);
      } catch (e) {
        if (e instanceof TooManyStreamsError) {
          throw new HttpError(429, "rate_limited", e.message, undefined, {
            "Retry-After": "5",
          });
        }
        throw e;
      }
      return new Response(stream.readable, {
        status: 200,
        headers: {
          "Content-Type": "text/event-stream; charset=utf-8",
          "Cache-Control": "no-cache",
          "X-Accel-Buffering": "no",
          "Connection": "keep-alive",
        },
      });
    }],
  });
}
