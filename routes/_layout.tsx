import ConnectionBadge from "../islands/ConnectionBadge.tsx";
import TenantSwitcher from "../islands/TenantSwitcher.tsx";
import { Island } from "../web/island.tsx";
import type { LayoutProps } from "../web/route_types.ts";

const NAV = [
  ["/dashboard", "Dashboard"],
  ["/domains", "Domains"],
  ["/incidents", "Incidents"],
  ["/alert-rules", "Alert rules"],
  ["/notifications", "Notifications"],
  ["/status-pages", "Status pages"],
  ["/maintenance", "Maintenance"],
  ["/settings", "Settings"],
] as const;

/** The HTML document around every page: header with navigation and live badge when signed in. */
export default function Layout({ ctx, children }: LayoutProps) {
  const signedIn = ctx.tenantName !== undefined;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{ctx.title === "V-Insight" ? "V-Insight" : `${ctx.title} · V-Insight`}</title>
        <link rel="icon" href={ctx.assets.url("favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={ctx.assets.url("app.css")} />
        {signedIn && ctx.eventsAfter !== undefined && (
          <meta name="vi-events-after" content={String(ctx.eventsAfter)} />
        )}
      </head>
      <body class={signedIn ? "app" : "public"}>
        <a class="skip" href="#main">Skip to content</a>
        <header class="topbar">
          <a class="brand" href={signedIn ? "/dashboard" : "/"}>
            <span class="brand-mark" aria-hidden="true">◉</span> V-Insight
          </a>
          {signedIn && (
            <nav aria-label="Main">
              {NAV.map(([href, label]) => (
                <a href={href} aria-current={ctx.path === href ? "page" : undefined}>{label}</a>
              ))}
            </nav>
          )}
          <div class="topbar-end">
            {signedIn
              ? (
                <>
                  <Island name="ConnectionBadge" component={ConnectionBadge} props={{}} />
                  {ctx.tenants && ctx.tenants.length > 1
                    ? (
                      <Island
                        name="TenantSwitcher"
                        component={TenantSwitcher}
                        props={{ current: ctx.tenantId!, tenants: ctx.tenants }}
                      />
                    )
                    : <span class="muted tenant" title={ctx.email}>{ctx.tenantName}</span>}
                  <form method="post" action="/logout" class="inline">
                    <button type="submit" class="link-button">Sign out</button>
                  </form>
                </>
              )
              : (
                <>
                  <a href="/login">Sign in</a>
                  <a class="button primary small" href="/register">Register</a>
                </>
              )}
          </div>
        </header>
        <main id="main" class="container">{children}</main>
        <footer class="container muted small footer">
          <a href="/api-docs">API reference</a>
        </footer>
        {signedIn && ctx.assets.has("build/islands.js") && (
          <script type="module" src={ctx.assets.url("build/islands.js")} nonce={ctx.nonce}></script>
        )}
      </body>
    </html>
  );
}
