import type { Hono } from "hono";
import type { AppDeps, AppEnv } from "./_env.ts";

export function pageRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
