import { receivePush } from "../core/checks/push.ts";
import type { AppContext } from "./app_env.ts";
import { readBodyText } from "./body.ts";
import { notFound } from "./http_error.ts";
import { clientAddress } from "./request_info.ts";
import type { Handlers } from "./route_types.ts";
import { rateLimit } from "./middleware/rate_limit.ts";

/** Refuses more than 60 calls a minute per token. */
const limitPerToken = rateLimit({
  limiter: "pushByToken",
  key: (c) => `push:${c.req.param("token") ?? ""}`,
  message: "Too many calls to this push URL",
});

function pushHandler(kind: "ping" | "start" | "fail") {
  return async (c: AppContext) => {
    const q = new URL(c.req.url).searchParams;
    // A body is allowed (curl -d @log), never required; it is read so the client can finish.
    if (c.req.method === "POST") await readBodyText(c).catch(() => "");
    const status = q.get("status");
    const ping = q.get("ping");
    const msg = q.get("msg")?.slice(0, 1000);
    const result = await receivePush(c.var.deps.db, c.req.param("token") ?? "", {
      kind,
      method: c.req.method,
      status: status === "down" ? "down" : status === "up" ? "up" : undefined,
      message: msg?.replaceAll("\0", "").toWellFormed() || undefined,
      pingMs: ping && /^\d{1,9}$/.test(ping) ? Number(ping) : undefined,
      address: clientAddress(c, c.var.deps.config.trustProxy),
    });
    if (result === "missing") throw notFound("Push URL");
    return c.json({ ok: true });
  };
}

/** `GET`/`POST` handlers of one push URL kind (the plain URL, `/start`, `/fail`). */
export function pushHandlers(kind: "ping" | "start" | "fail"): Handlers {
  return { GET: [limitPerToken, pushHandler(kind)], POST: [limitPerToken, pushHandler(kind)] };
}
