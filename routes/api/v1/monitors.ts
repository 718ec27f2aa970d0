import type { Hono } from "hono";
import { z } from "zod";
import { listChecks } from "../../../core/checks/queries.ts";
import { readStats, STATS_WINDOWS } from "../../../core/checks/rollups.ts";
import { HttpError, notFound } from "../../../core/http_error.ts";
import {
  createMonitor,
  deleteMonitor,
  getMonitor,
  listMonitors,
  queueCheck,
  updateMonitor,
} from "../../../core/monitors/queries.ts";
import { monitorCreateSchema, monitorPatchSchema } from "../../../core/monitors/schema.ts";
import { privateTargetReason } from "../../../core/monitors/validate_target.ts";
import type { AppDeps, AppEnv } from "../../_env.ts";
import { idParam, readJson, readQuery, validationError } from "../../_http.ts";
import { authenticate } from "../../_middleware/authenticate.ts";
import { route } from "../../_route.ts";

const checksQuery = z.strictObject({
  limit: z.string().regex(/^\d{1,7}$/, "must be a whole number").transform(
    Number,
  ).pipe(
    z.number().int().min(1, "must be at least 1").max(
      1000,
      "must be at most 1000",
    ),
  ).optional(),
  before: z.iso.datetime({
    offset: true,
    message: "must be an RFC 3339 timestamp",
  }).optional(),
});

const statsQuery = z.strictObject({
  window: z.enum(Object.keys(STATS_WINDOWS) as [keyof typeof STATS_WINDOWS], {
    message: "must be 24h, 7d or 30d",
  }).default("24h"),
});

/** Refuses private targets unless the server allows them (API.md). */
async function assertPublicTarget(deps: AppDeps, url: string, what: string) {
  if (deps.config.allowPrivateTargets) return;
  const reason = await privateTargetReason(url);
  if (reason) {
    throw validationError(what, [{
      path: "url",
      message: `${reason}; private targets are not allowed on this server`,
    }]);
  }
}

/** `/api/v1/monitors/**`. */
export function monitorRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const auth = authenticate(deps);
  const { db } = deps;

  route(app, "/api/v1/monitors", {
    GET: [
      auth,
      async (c) =>
        c.json({
          monitors: await listMonitors(db, c.get("principal").tenantId),
        }),
    ],
    POST: [auth, async (c) => {
      const what = "Cannot create monitor";
      const input = await readJson(c, monitorCreateSchema, what);
      await assertPublicTarget(deps, input.url, what);
      const monitor = await createMonitor(
        db,
        c.get("principal").tenantId,
        input,
      );
      deps.wakeScheduler();
      return c.json(monitor, 201);
    }],
  });

  route(app, "/api/v1/monitors/:id", {
    GET: [auth, async (c) => {
      const monitor = await getMonitor(
        db,
        c.get("principal").tenantId,
        idParam(c),
      );
      if (!monitor) throw notFound("Monitor");
      return c.json(monitor);
    }],
    PATCH: [auth, async (c) => {
      const what = "Cannot update monitor";
      const tenantId = c.get("principal").tenantId;
      if (!await getMonitor(db, tenantId, idParam(c))) {
        throw notFound("Monitor");
      }
      const patch = await readJson(c, monitorPatchSchema, what);
      if (patch.url !== undefined) {
        await assertPublicTarget(deps, patch.url, what);
      }
      const monitor = await updateMonitor(db, tenantId, idParam(c), patch);
      if (!monitor) throw notFound("Monitor");
      deps.wakeScheduler();
      return c.json(monitor);
    }],
    DELETE: [auth, async (c) => {
      if (!await deleteMonitor(db, c.get("principal").tenantId, idParam(c))) {
        throw notFound("Monitor");
      }
      return c.body(null, 204);
    }],
  });

  route(app, "/api/v1/monitors/:id/check", {
    POST: [auth, async (c) => {
      const result = await queueCheck(
        db,
        c.get("principal").tenantId,
        idParam(c),
      );
      if (result === "missing") throw notFound("Monitor");
      if (result === "disabled") {
        throw new HttpError(
          409,
          "conflict",
          "Cannot check monitor: it is disabled; enable it first",
        );
      }
      deps.wakeScheduler();
      return c.json({ queued: true }, 202);
    }],
  });

  route(app, "/api/v1/monitors/:id/checks", {
    GET: [auth, async (c) => {
      const monitor = await getMonitor(
        db,
        c.get("principal").tenantId,
        idParam(c),
      );
      if (!monitor) throw notFound("Monitor");
      const q = readQuery(c, checksQuery, "Cannot list checks");
      return c.json({
        checks: await listChecks(db, monitor.id, {
          limit: q.limit ?? 100,
          before: q.before,
        }),
      });
    }],
  });

  route(app, "/api/v1/monitors/:id/stats", {
    GET: [auth, async (c) => {
      const monitor = await getMonitor(
        db,
        c.get("principal").tenantId,
        idParam(c),
      );
      if (!monitor) throw notFound("Monitor");
      const q = readQuery(c, statsQuery, "Cannot read stats");
      return c.json(await readStats(db, monitor.id, q.window));
    }],
  });
}
