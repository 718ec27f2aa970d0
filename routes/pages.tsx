import type { Hono } from "hono";
import type { AppDeps, AppEnv } from "./_env.ts";
import { renderPage } from "./_layout.tsx";
import { appPages } from "./app_pages.tsx";
import { authPages } from "./auth_pages.tsx";
import { HomePage } from "./index.tsx";
import { pageAccount } from "./_page_auth.ts";
import { staticRoutes } from "./_static.ts";

/** Every browser page and the static assets. */
export function pageRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const assets = staticRoutes(app);
  app.get("/", async (c) => {
    const account = await pageAccount(c, deps);
    return c.html(renderPage(
      <HomePage
        ctx={{
          assets,
          nonce: c.get("cspNonce"),
          path: "/",
          tenantName: account?.tenant.name,
          email: account?.user.email,
        }}
      />,
    ));
  });
  authPages(app, deps, assets);
  appPages(app, deps, assets);
}
