import type { OpenApiOperation } from "../../../../web/route_types.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { pushHandlers } from "../../../../web/push_handler.ts";

/** A push URL is its own credential, and takes any body a job sends (API.md, "Monitor kinds"). */
export const config: RouteConfig = { auth: "none", anyBody: true };

/** `GET|POST /api/v1/push/:token`. */
export const handler = pushHandlers("ping");

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "A job reports success (push monitors)" },
  POST: { summary: "A job reports success (push monitors)" },
};
