import { z } from "zod";
import {
  type BadgeWindow,
  readBadge,
  renderBadge,
  uptimeColour,
} from "../core/status_pages/badge.ts";
import type { AppContext, RouteConfig } from "./app_env.ts";
import { readQuery } from "./body.ts";
import { notFound } from "./http_error.ts";
import type { Handlers } from "./route_types.ts";

const badgeQuery = z.strictObject({
  window: z.enum(["24h", "7d", "30d", "90d"], { message: "must be 24h, 7d, 30d or 90d" }).default(
    "24h",
  ),
});

/** Badges are public, by token. */
export const badgeConfig: RouteConfig = { auth: "none" };

function svg(body: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "public, max-age=60",
    },
  });
}

/** The handlers of one badge image: `status`, `uptime` or `response` (p95). */
export function badgeHandlers(kind: "status" | "uptime" | "response"): Handlers {
  return {
    async GET(c: AppContext) {
      const { window } = readQuery(c, badgeQuery, "Cannot draw badge");
      const badge = await readBadge(
        c.var.deps.db,
        c.req.param("token") ?? "",
        window as BadgeWindow,
      );
      if (!badge) throw notFound("Badge");
      switch (kind) {
        case "status": {
          const status = badge.enabled ? badge.status : "paused";
          const colour = status === "up" ? "green" : status === "down" ? "red" : "grey";
          return svg(renderBadge(badge.name, status, colour));
        }
        case "uptime":
          return svg(renderBadge(
            `uptime ${window}`,
            badge.uptime === null ? "no data" : `${badge.uptime} %`,
            uptimeColour(badge.uptime),
          ));
        case "response":
          return svg(renderBadge(
            `p95 ${window}`,
            badge.p95 === null ? "no data" : `${badge.p95} ms`,
            badge.p95 === null
              ? "grey"
              : badge.p95 < 500
              ? "green"
              : badge.p95 < 2000
              ? "yellow"
              : "red",
          ));
      }
    },
  };
}
