import { renderToString } from "preact-render-to-string";
import type { CachedStatus } from "../core/status_pages/public_cache.ts";
import type { PublicComponent, PublicStatus } from "../core/status_pages/public_status.ts";
import type { AppContext } from "./app_env.ts";

const STATUS_WORDS: Record<PublicStatus["status"], string> = {
  operational: "All systems operational",
  degraded: "Some systems are down",
  outage: "Major outage",
  maintenance: "Under maintenance",
};

function dayClass(p: number | null): string {
  if (p === null) return "day none";
  if (p >= 99.9) return "day good";
  if (p >= 95) return "day fair";
  return "day bad";
}

function Component({ c }: { c: PublicComponent }) {
  return (
    <li class={`component ${c.status}`} data-component-id={c.id}>
      <div class="component-head">
        <strong>{c.name}</strong>
        <span class={`pill ${c.status}`}>{c.status}</span>
      </div>
      <div class="bars" aria-label={`Daily uptime of ${c.name}, last 90 days`}>
        {c.days.map((d) => (
          <span
            key={d.date}
            class={dayClass(d.uptime_percent)}
            title={`${d.date}: ${d.uptime_percent === null ? "no data" : `${d.uptime_percent} %`}`}
          />
        ))}
      </div>
      <div class="muted uptime">
        {(["24h", "7d", "30d", "90d"] as const).map((w) => (
          <span key={w}>
            {w}: {c.uptime[w] === null ? "–" : `${c.uptime[w]} %`}
          </span>
        ))}
        {c.response_time_ms !== undefined && c.response_time_ms !== null && (
          <span>response {c.response_time_ms} ms</span>
        )}
      </div>
    </li>
  );
}

/** The public status page: server-rendered, readable without JavaScript, live with it. */
function StatusDocument(
  { s, css, script, slug }: { s: PublicStatus; css: string; script: string; slug: string },
) {
  const groups = new Map<string | null, PublicComponent[]>();
  for (const c of s.components) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        {/* Without JavaScript, a refresh keeps it current. */}
        <noscript>
          <meta http-equiv="refresh" content="30" />
        </noscript>
        <title>{`${s.title} status`}</title>
        <link rel="stylesheet" href={css} />
      </head>
      <body class="public status-page" data-slug={slug}>
        <main class="container narrow-page">
          <h1>{s.title}</h1>
          {s.description && <p class="lead">{s.description}</p>}
          <p class={`overall ${s.status}`} data-status={s.status}>{STATUS_WORDS[s.status]}</p>
          {s.reports.map((r) => (
            <section class={`card report ${r.status}`} key={r.id} data-report-id={r.id}>
              <h2>{r.title}</h2>
              <ol class="report-updates">
                {[...r.updates].reverse().map((u, i) => (
                  <li key={i}>
                    <strong>{u.status}</strong>{" "}
                    <span class="muted">{u.at.slice(0, 16).replace("T", " ")} UTC</span>
                    <p>{u.message}</p>
                  </li>
                ))}
              </ol>
            </section>
          ))}
          {s.maintenance.map((m, i) => (
            <section class="card maintenance-note" key={`m${i}`}>
              <h2>Maintenance: {m.title}</h2>
              <p class="muted">
                {m.starts_at.slice(0, 16).replace("T", " ")} –{" "}
                {m.ends_at.slice(0, 16).replace("T", " ")} UTC
              </p>
              {m.message && <p>{m.message}</p>}
            </section>
          ))}
          {[...groups].map(([group, list]) => (
            <section class="card" key={group ?? ""}>
              {group && <h2>{group}</h2>}
              <ul class="components">
                {list.map((c) => <Component key={c.id} c={c} />)}
              </ul>
            </section>
          ))}
          <p class="muted small">Powered by V-Insight</p>
        </main>
        {/* A file of our origin, not inline: a page served from cache keeps working under the CSP. */}
        <script src={script} defer></script>
      </body>
    </html>
  );
}

/** Cache headers of a public status answer (API.md). */
function cacheHeaders(etag: string): Record<string, string> {
  return { "ETag": etag, "Cache-Control": "public, max-age=10" };
}

/** The JSON of a public page, `304` when the client has it. */
export function publicStatusJson(c: AppContext, entry: CachedStatus): Response {
  const headers = cacheHeaders(entry.etag);
  if (c.req.header("if-none-match") === entry.etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(entry.json, {
    status: 200,
    headers: { ...headers, "Content-Type": "application/json; charset=utf-8" },
  });
}

/** A short hash (32-bit FNV-1a, base 36) of a string. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** Each computed page's HTML, rendered once for all the requests it serves. */
const rendered = new WeakMap<CachedStatus, { key: string; html: string }>();

/** The HTML of a public page, `304` when the client has it. */
export function publicStatusHtml(c: AppContext, entry: CachedStatus, slug: string): Response {
  const css = c.var.assets.url("app.css");
  const script = c.var.assets.url("status.js");
  const key = `${slug} ${css} ${script}`;
  // The HTML names the assets: a release with new ones is a new ETag.
  const etag = entry.etag.replace(/"$/, `-${fnv1a(key)}"`);
  const headers = cacheHeaders(etag);
  if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
  let done = rendered.get(entry);
  if (done?.key !== key) {
    done = {
      key,
      html: "<!doctype html>" +
        renderToString(<StatusDocument s={entry.status} css={css} script={script} slug={slug} />),
    };
    rendered.set(entry, done);
  }
  const html = done.html;
  return new Response(html, {
    status: 200,
    headers: { ...headers, "Content-Type": "text/html; charset=utf-8" },
  });
}
