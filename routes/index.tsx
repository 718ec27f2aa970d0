import type { RouteConfig } from "../web/app_env.ts";
import { slugForDomain } from "../core/status_pages/public_status.ts";
import type { Handlers, PageProps } from "../web/route_types.ts";
import { publicStatusHtml } from "../web/status_page_view.tsx";

export const config: RouteConfig = { auth: "optional" };

export const handler: Handlers = {
  async GET(c) {
    // A status page's custom domain serves the page at its root.
    const host = c.req.header("host");
    if (host) {
      const slug = await slugForDomain(c.var.deps.db, host);
      const entry = slug ? await c.var.deps.publicStatus.get(slug) : null;
      if (entry && slug) return publicStatusHtml(c, entry, slug);
    }
    return c.var.render(undefined, { title: "Uptime monitoring" });
  },
};

/** `GET /`: what V-Insight is, with the way in. */
export default function HomePage(_props: PageProps) {
  return (
    <>
      <section class="hero">
        <h1>Know the moment a website goes down.</h1>
        <p class="lead">
          V-Insight checks your websites on a schedule — status code, response time, a keyword, the
          TLS certificate and its expiry — opens incidents by your rules and resolves them by
          itself. Every result reaches your dashboard live, within milliseconds.
        </p>
        <p class="cta">
          <a class="button primary" href="/register">Create an account</a>
          <a class="button" href="/login">Sign in</a>
        </p>
      </section>
      <section class="features">
        <div class="card">
          <h2>Live, not refreshed</h2>
          <p>
            Checks and incidents stream to every open dashboard over Server-Sent Events. A dropped
            connection resumes where it left off.
          </p>
        </div>
        <div class="card">
          <h2>Rules that close themselves</h2>
          <p>
            Consecutive failures, slow responses, certificates about to expire: incidents open when
            a rule holds and resolve when it stops.
          </p>
        </div>
        <div class="card">
          <h2>Yours to run</h2>
          <p>
            One program, one command. Embedded PostgreSQL by default; point it at a PostgreSQL
            server to run several instances.
          </p>
        </div>
      </section>
    </>
  );
}
