import type { OpenApiOperation } from "../../../web/route_types.ts";
import type { RouteConfig } from "../../../web/app_env.ts";
import type { Handlers } from "../../../web/route_types.ts";

export const config: RouteConfig = { auth: "none" };

/** `GET /api/v1/openapi.json`: the API as OpenAPI 3.1, generated from the routes' schemas. */
export const handler: Handlers = {
  GET: (c) =>
    c.json(c.var.openapi() as Record<string, unknown>, 200, {
      "Cache-Control": "public, max-age=300",
    }),
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = { GET: { summary: "This document" } };
