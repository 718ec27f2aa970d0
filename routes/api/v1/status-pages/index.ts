import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { createStatusPage, listStatusPages } from "../../../../core/status_pages/queries.ts";
import { statusPageCreateSchema } from "../../../../core/status_pages/schema.ts";
import { readJson } from "../../../../web/body.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import {
  assertOwnComponents,
  presentStatusPage,
  takenAsConflict,
} from "../../../../web/status_page_input.ts";

/** `GET` and `POST /api/v1/status-pages`. */
export const handler: Handlers = {
  async GET(c) {
    const pages = await listStatusPages(c.var.deps.db, c.var.principal.tenantId);
    return c.json({ status_pages: pages.map((p) => presentStatusPage(c, p)) });
  },
  async POST(c) {
    const what = "Cannot create status page";
    const { deps } = c.var;
    const input = await readJson(c, statusPageCreateSchema, what);
    await assertOwnComponents(c, input.components, what);
    const page = await createStatusPage(deps.db, c.var.principal.tenantId, input).catch((e) =>
      takenAsConflict(e, what)
    );
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.json(presentStatusPage(c, page), 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List status pages" },
  POST: { summary: "Create a status page", body: statusPageCreateSchema },
};
