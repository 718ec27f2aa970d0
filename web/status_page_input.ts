import type { StatusPage } from "../core/status_pages/status_page.ts";
import { foreignMonitorIds } from "../core/monitors/queries.ts";
import { StatusPageTakenError } from "../core/status_pages/queries.ts";
import type { AppContext } from "./app_env.ts";
import { validationError } from "./body.ts";
import { HttpError } from "./http_error.ts";
import { ownOrigin } from "./request_info.ts";

/** Refuses components naming monitors of another tenant (`400` on `components.N.monitor_id`). */
export async function assertOwnComponents(
  c: AppContext,
  components: { monitor_id: string }[] | undefined,
  what: string,
): Promise<void> {
  if (!components?.length) return;
  const foreign = new Set(
    await foreignMonitorIds(
      c.var.deps.db,
      c.var.principal.tenantId,
      components.map((x) => x.monitor_id),
    ),
  );
  const details = components.flatMap((x, i) =>
    foreign.has(x.monitor_id)
      ? [{ path: `components.${i}.monitor_id`, message: "is not a monitor of this tenant" }]
      : []
  );
  if (details.length) throw validationError(what, details);
}

/** A taken slug or domain is `409 conflict` naming it. */
export function takenAsConflict(e: unknown, what: string): never {
  if (e instanceof StatusPageTakenError) {
    throw new HttpError(409, "conflict", `${what}: ${e.field} ${e.message}`);
  }
  throw e;
}

/** A status page as answered, with its public URL. */
export function presentStatusPage(c: AppContext, page: StatusPage): StatusPage {
  const origin = c.var.deps.config.publicUrl ?? ownOrigin(c, c.var.deps.config.trustProxy);
  return { ...page, url: `${origin}/status/${page.slug}` };
}
