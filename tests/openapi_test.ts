/** The OpenAPI document is generated from the routes and their zod schemas, and read by its page. */
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { manifest } from "../routes.gen.ts";
import { routePath } from "../web/router.ts";
import { BACKENDS, startTestServer } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "GET /api/v1/openapi.json covers every /api/v1 route with the schemas it validates with",
  ...integration,
  async fn() {
    const server = await startTestServer(BACKENDS[0], {}, {
      checks: false,
      dispatcher: { enabled: false },
    });
    try {
      const res = await fetch(`${server.url}/api/v1/openapi.json`);
      assert.equal(res.status, 200);
      const doc = await res.json();
      assert.equal(doc.openapi, "3.1.0");
      // A real OpenAPI 3.1 validator (the official JSON Schemas of the specification).
      const verdict = await new Validator().validate(doc);
      assert.ok(verdict.valid, JSON.stringify(verdict.errors, null, 1)?.slice(0, 2000));
      const files = Object.keys(manifest.routes).filter((f) =>
        !f.split("/").pop()!.startsWith("_")
      );
      const apiPaths = files.map(routePath).filter((p) => p.startsWith("/api/v1/"))
        .map((p) => p.replace(/:(\w+)/g, "{$1}"));
      for (const p of apiPaths) assert.ok(doc.paths[p], `${p} is described`);
      const create = doc.paths["/api/v1/monitors"].post;
      const variants = create.requestBody.content["application/json"].schema.oneOf;
      assert.deepEqual(
        variants.map((v: { properties: { type: { const: string } } }) => v.properties.type.const)
          .sort(),
        ["dns", "http", "push", "tcp"],
      );
      const http = variants.find((v: { properties: { type: { const: string } } }) =>
        v.properties.type.const === "http"
      );
      assert.equal(http.properties.name.maxLength, 100, "the limits are the schema's own");
      const checks = doc.paths["/api/v1/monitors/{id}/checks"].get.parameters.map((
        p: { name: string },
      ) => p.name);
      assert.deepEqual(checks, ["id", "limit", "before"]);
      assert.deepEqual(
        doc.paths["/api/v1/push/{token}"].get.security,
        [],
        "push URLs need no credentials",
      );
      const page = await fetch(`${server.url}/api-docs`);
      const html = await page.text();
      assert.equal(page.status, 200);
      assert.match(html, /API reference/);
      assert.match(html, /\/api\/v1\/notification-channels\/\{id\}\/rotate-secret/);
      assert.ok(!html.includes("https://cdn"), "served by the instance itself");
    } finally {
      await server.stop();
    }
  },
});
