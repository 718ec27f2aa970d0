import { useEffect, useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { checkFeed, reloadGeneration } from "../client/event_stream.ts";
import { ms, targetOf, timeAgo, tlsDaysLeft, when } from "../client/format.ts";
import { BadgePanel } from "../components/BadgePanel.tsx";
import { type PushCallRow, PushInstructions } from "../components/PushInstructions.tsx";
import { ResponseChart } from "../components/ResponseChart.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import type { Check, Monitor } from "../client/types.ts";

export interface Stats {
  window: string;
  uptime_percent: number | null;
  checks: number;
  avg_response_time_ms: number | null;
  p95_response_time_ms: number | null;
}

/**
 * One monitor: details, a response-time chart that grows as checks arrive,
 * uptime over 24 h / 7 d / 30 d, and the check history.
 */
export default function MonitorDetail(
  { monitor, checks: initialChecks, stats: initialStats, pushCalls = [] }: {
    monitor: Monitor;
    checks: Check[];
    stats: Stats[];
    /** A push monitor's latest calls. */
    pushCalls?: PushCallRow[];
  },
) {
  const [checks, setChecks] = useState(initialChecks); // newest first
  const [stats, setStats] = useState(initialStats);
  const generation = reloadGeneration.value;
  const liveNew = checkFeed.value.filter((c) =>
    c.monitor_id === monitor.id && (!checks[0] || c.checked_at > checks[0].checked_at)
  );
  const all = [...liveNew.slice().reverse(), ...checks];
  const latest = all[0] ?? null;
  const status = !monitor.enabled
    ? "paused"
    : latest
    ? (latest.success ? "up" : "down")
    : "pending";

  const fetchStats = () =>
    Promise.all(
      ["24h", "7d", "30d"].map((w) =>
        callApi<Stats>("GET", `/api/v1/monitors/${monitor.id}/stats?window=${w}`)
      ),
    );
  async function reload() {
    const [c, s] = await Promise.all([
      callApi<{ checks: Check[] }>("GET", `/api/v1/monitors/${monitor.id}/checks?limit=120`),
      fetchStats(),
    ]);
    setChecks(c.checks);
    setStats(s);
  }
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation]);
  useEffect(() => {
    // Uptime figures move slowly: refresh them when a new check arrives, at most every 10 s.
    if (liveNew.length === 0) return;
    const t = setTimeout(() => fetchStats().then(setStats), 10_000);
    return () => clearTimeout(t);
  }, [liveNew.length]);

  const days = tlsDaysLeft(latest?.ssl_expires_at ?? null);
  return (
    <div class="monitor-detail" data-monitor-id={monitor.id}>
      <div class="toolbar">
        <h1>{monitor.name}</h1>
        <StatusBadge status={status} />
      </div>
      <p class="url">
        {monitor.type === "http" ? `${monitor.method} ${monitor.url}` : targetOf(monitor)}
      </p>
      {monitor.type === "push" && monitor.push_url && (
        <PushInstructions
          url={monitor.push_url}
          intervalSeconds={monitor.interval_seconds}
          calls={pushCalls}
        />
      )}
      <dl class="facts">
        <div>
          <dt>Last check</dt>
          <dd data-field="checked">{timeAgo(latest?.checked_at ?? null)}</dd>
        </div>
        <div>
          <dt>Response</dt>
          <dd data-field="response">{ms(latest?.response_time_ms)}</dd>
        </div>
        <div>
          <dt>Status code</dt>
          <dd>{latest?.status_code ?? "–"}</dd>
        </div>
        <div>
          <dt>TLS</dt>
          <dd>
            {days === null
              ? "–"
              : `${days} days left${latest?.ssl_valid === false ? " (invalid)" : ""}`}
          </dd>
        </div>
        <div>
          <dt>Every</dt>
          <dd>{monitor.interval_seconds} s</dd>
        </div>
        <div>
          <dt>Expects</dt>
          <dd>{monitor.expected_status}{monitor.keyword ? ` and “${monitor.keyword}”` : ""}</dd>
        </div>
      </dl>
      {latest?.error_message && <p class="error-text" role="status">{latest.error_message}</p>}
      <section class="card">
        <h2>Response time</h2>
        <ResponseChart checks={all.slice(0, 120).reverse()} />
      </section>
      <section class="tiles" aria-label="Uptime">
        {stats.map((s) => (
          <div class="tile" key={s.window} data-window={s.window}>
            <span class="muted">Uptime {s.window}</span>
            <span class="tile-count">
              {s.uptime_percent === null ? "–" : `${s.uptime_percent}%`}
            </span>
            <span class="muted small">
              avg {ms(s.avg_response_time_ms)} · p95 {ms(s.p95_response_time_ms)}
            </span>
          </div>
        ))}
      </section>
      <section class="card">
        <h2>History</h2>
        <div class="table-wrap">
          <table class="history">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Result</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {all.slice(0, 50).map((c) => (
                <tr key={c.checked_at}>
                  <td>{when(c.checked_at)}</td>
                  <td>
                    <StatusBadge status={c.success ? "up" : "down"} />
                  </td>
                  <td class="num">{c.status_code ?? "–"}</td>
                  <td class="num">{ms(c.response_time_ms)}</td>
                  <td>{c.error_message && <span class="error-text">{c.error_message}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <BadgePanel monitorId={monitor.id} name={monitor.name} />
    </div>
  );
}
