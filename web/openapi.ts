import { z } from "zod";
import type { FileRoute } from "./router.ts";
import type { Handlers, Method } from "./route_types.ts";

const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

// deno-lint-ignore no-explicit-any
type Json = any;

/** A zod schema as JSON Schema, as a request is read (the input side of transforms). */
function schemaOf(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  delete out.$schema;
  return out;
}

/**
 * The OpenAPI 3.1 document of every `/api/v1` route, generated from the
 * route files: their paths and methods from the manifest, and their bodies
 * and query strings from the very zod schemas they validate with (each route
 * names them in its `openapi` export). Nothing here is written by hand but
 * the shared error shape and the two ways to authenticate.
 */
export function buildOpenApi(routes: readonly FileRoute[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    if (!route.path.startsWith("/api/v1/") || route.path.includes("*")) continue;
    const handlers = (route.module.handler ?? {}) as Handlers;
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const open = route.module.config?.auth === "none";
    for (const method of METHODS) {
      if (!handlers[method]) continue;
      const doc = route.module.openapi?.[method];
      const query = doc?.query ? schemaOf(doc.query) : null;
      const operation: Json = {
        summary: doc?.summary ?? `${method} ${path}`,
        operationId: `${method.toLowerCase()}${
          path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c) => (c ?? "").toUpperCase())
        }`,
        parameters: [
          ...params,
          ...Object.entries((query?.properties ?? {}) as Record<string, Json>).map((
            [name, schema],
          ) => ({
            name,
            in: "query",
            required: (query?.required ?? []).includes(name),
            schema,
          })),
        ],
        responses: {
          "2XX": { description: "Success (API.md gives each answer's shape)" },
          "4XX": {
            description: "An error in API.md's shape",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        },
        ...(open ? { security: [] } : {}),
      };
      if (doc?.body) {
        operation.requestBody = {
          required: true,
          content: { "application/json": { schema: schemaOf(doc.body) } },
        };
      }
      (paths[path] ??= {})[method.toLowerCase()] = operation;
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "V-Insight API",
      version,
      description: "Generated from the route files and the zod schemas that validate each request.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        cookie: { type: "apiKey", in: "cookie", name: "vi_session" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                details: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: { path: { type: "string" }, message: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
