import type { OpenApiOperation } from "../../../../web/route_types.ts";
import {
  deleteStatusPage,
  getStatusPage,
  updateStatusPage,
} from "../../../../core/status_pages/queries.ts";
import { statusPagePatchSchema } from "../../../../core/status_pages/schema.ts";
import { readJson } from "../../../../web/body.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import {
  assertOwnComponents,
  presentStatusPage,
  takenAsConflict,
} from "../../../../web/status_page_input.ts";

/** `GET`, `PATCH` and `DELETE /api/v1/status-pages/:id`. */
export const handler: Handlers = {
  async GET(c) {
    const page = await getStatusPage(
      c.var.deps.db,
      c.var.principal.tenantId,
      idParam(c, "Status page"),
    );
    if (!page) throw notFound("Status page");
    return c.json(presentStatusPage(c, page));
  },
  async PATCH(c) {
    const what = "Cannot update status page";
    const { deps } = c.var;
    const id = idParam(c, "Status page");
    if (!await getStatusPage(deps.db, c.var.principal.tenantId, id)) throw notFound("Status page");
    const patch = await readJson(c, statusPagePatchSchema, what);
    await assertOwnComponents(c, patch.components, what);
    const page = await updateStatusPage(deps.db, c.var.principal.tenantId, id, patch).catch((e) =>
      takenAsConflict(e, what)
    );
    if (!page) throw notFound("Status page");
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.json(presentStatusPage(c, page));
  },
  async DELETE(c) {
    const { deps } = c.var;
    if (!await deleteStatusPage(deps.db, c.var.principal.tenantId, idParam(c, "Status page"))) {
      throw notFound("Status page");
    }
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "One status page" },
  PATCH: { summary: "Change a status page", body: statusPagePatchSchema },
  DELETE: { summary: "Delete a status page" },
};
