import { Component } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { latestMonitorChecks, reloadGeneration } from "../client/event_stream.ts";
import { ms, timeAgo, tlsDaysLeft } from "../client/format.ts";
import { MonitorForm } from "../components/MonitorForm.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { withLiveCheck } from "../client/live_check.ts";
import { targetOf } from "../client/format.ts";
import type { Check, Monitor } from "../client/types.ts";

/** Rows rendered at once; a tenant with thousands of monitors pages through them. */
export const PAGE_SIZE = 200;

interface RowActions {
  edit(id: string): void;
  togglePause(m: Monitor): Promise<void>;
  remove(m: Monitor): Promise<void>;
}

interface RowProps {
  monitor: Monitor;
  live: Check | undefined;
  editing: boolean;
  actions: RowActions;
  /** The latest checks, oldest first, as the server read them. */
  recent: { success: boolean; checked_at: string }[];
  uptime: number | null | undefined;
}

/** The last checks as a row of bars, newest at the right. */
function CheckBars({ checks }: { checks: { success: boolean; checked_at: string }[] }) {
  return (
    <span class="check-bars" aria-label={`last ${checks.length} checks`}>
      {checks.map((c) => (
        <span
          key={c.checked_at}
          class={c.success ? "bar up" : "bar down"}
          title={`${c.checked_at.slice(11, 19)} UTC: ${c.success ? "up" : "down"}`}
        />
      ))}
    </span>
  );
}

/**
 * One monitor row. It renders again only when its own monitor, live check or
 * editing state changes, so an event costs one row, not the whole table
 * (tenants with thousands of monitors).
 */
class MonitorRow extends Component<RowProps> {
  /** The bars: the server's checks, then each live one as it arrives. */
  #bars: { success: boolean; checked_at: string }[] | null = null;

  override shouldComponentUpdate(next: RowProps) {
    const p = this.props;
    return next.monitor !== p.monitor || next.live !== p.live || next.editing !== p.editing;
  }

  override render({ monitor: raw, live, actions, recent, uptime }: RowProps) {
    const m = withLiveCheck(raw, live);
    let bars = this.#bars ?? recent;
    if (live && (bars.length === 0 || bars[bars.length - 1].checked_at < live.checked_at)) {
      bars = [...bars, { success: live.success, checked_at: live.checked_at }].slice(-30);
    }
    this.#bars = bars;
    const days = tlsDaysLeft(m.last_check?.ssl_expires_at ?? null);
    return (
      <tr data-monitor-id={m.id} data-status={m.enabled ? m.status : "paused"}>
        <td>
          <StatusBadge status={m.enabled ? m.status : "paused"} />
        </td>
        <td class="monitor-name">
          <a href={`/monitors/${m.id}`}>{m.name}</a>
          <span class="url">{targetOf(m)}</span>
          {m.last_check?.error_message && (
            <span class="error-text">{m.last_check.error_message}</span>
          )}
          <span class="row-history">
            <CheckBars checks={bars} />
            <span class="muted uptime-24h" data-field="uptime">
              {uptime === null || uptime === undefined ? "" : `${uptime} % (24 h)`}
            </span>
          </span>
        </td>
        <td class="num" data-field="response">{ms(m.last_check?.response_time_ms)}</td>
        <td class="num" data-field="tls">
          {days === null ? "–" : (
            <span class={days < 14 ? "warn" : ""}>
              {days} d{m.last_check?.ssl_valid === false ? " ⚠" : ""}
            </span>
          )}
        </td>
        <td data-field="checked">
          <time dateTime={m.last_check?.checked_at} data-ago>
            {timeAgo(m.last_check?.checked_at ?? null)}
          </time>
        </td>
        <td class="actions">
          <button type="button" class="button small" onClick={() => actions.edit(m.id)}>
            Edit
          </button>
          <button type="button" class="button small" onClick={() => actions.togglePause(m)}>
            {m.enabled ? "Pause" : "Resume"}
          </button>
          <button type="button" class="button small danger" onClick={() => actions.remove(m)}>
            Delete
          </button>
        </td>
      </tr>
    );
  }
}

/**
 * The /domains table: every monitor with status, last response time, TLS days
 * left and last check, each row updated in place as `monitor_check` events
 * arrive; add, edit, pause and delete.
 */
export default function LiveMonitorTable(
  { monitors: initialMonitors, total, recent = {}, uptime = {} }: {
    monitors: Monitor[];
    total?: number;
    /** The latest checks of the first monitors, oldest first. */
    recent?: Record<string, { success: boolean; checked_at: string }[]>;
    /** 24-hour uptime of the first monitors. */
    uptime?: Record<string, number | null>;
  },
) {
  const [monitors, setMonitors] = useState(initialMonitors);
  // The page ships the first PAGE_SIZE monitors; the rest load on demand (search, "show more").
  const [complete, setComplete] = useState(
    (total ?? initialMonitors.length) <= initialMonitors.length,
  );
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(initialMonitors.length === 0);
  const live = latestMonitorChecks.value;
  const generation = reloadGeneration.value;

  async function loadAll() {
    const r = await callApi<{ monitors: Monitor[] }>("GET", "/api/v1/monitors");
    setMonitors(r.monitors);
    setComplete(true);
  }
  useEffect(() => {
    if (generation > 0) loadAll();
  }, [generation]);
  useEffect(() => {
    if (query && !complete) loadAll();
  }, [query]);
  const q = query.trim().toLowerCase();
  const matching = q
    ? monitors.filter((m) =>
      m.name.toLowerCase().includes(q) || targetOf(m).toLowerCase().includes(q)
    )
    : monitors;
  const shown = matching.slice(0, limit);
  const count = q ? matching.length : complete ? monitors.length : total ?? monitors.length;
  useEffect(() => {
    // "x s ago" moves with the clock, not with data: refresh the text in place, without re-rendering rows.
    const t = setInterval(() => {
      for (const el of document.querySelectorAll<HTMLTimeElement>("time[data-ago]")) {
        el.textContent = timeAgo(el.dateTime || null);
      }
    }, 5000);
    return () => clearInterval(t);
  }, []);

  const replace = (m: Monitor) => setMonitors((list) => list.map((x) => (x.id === m.id ? m : x)));
  // Stable across renders, so unchanged rows skip rendering (see MonitorRow).
  const actions = useMemo<RowActions>(() => ({
    edit: (id) => setEditing((current) => (current === id ? null : id)),
    async togglePause(m) {
      const saved = await callApi<Monitor>("PATCH", `/api/v1/monitors/${m.id}`, {
        enabled: !m.enabled,
      });
      setMonitors((list) => list.map((x) => (x.id === saved.id ? saved : x)));
    },
    async remove(m) {
      if (!confirm(`Delete ${m.name}? Its checks and incidents go with it.`)) return;
      await callApi("DELETE", `/api/v1/monitors/${m.id}`);
      setMonitors((list) => list.filter((x) => x.id !== m.id));
    },
  }), []);

  return (
    <div class="live-monitors">
      <div class="toolbar">
        <h1>
          Domains <span class="count">{count}</span>
        </h1>
        <input
          type="search"
          class="search"
          placeholder="Filter by name or URL"
          aria-label="Filter monitors by name or URL"
          value={query}
          onInput={(e) => {
            setQuery((e.currentTarget as HTMLInputElement).value);
            setLimit(PAGE_SIZE);
          }}
        />
        <button
          type="button"
          class="button primary"
          onClick={() => setAdding(!adding)}
          aria-expanded={adding}
        >
          {adding ? "Close" : "Add monitor"}
        </button>
      </div>
      {adding && (
        <MonitorForm
          onSaved={(m) => {
            setMonitors((list) => [...list, m]);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {monitors.length === 0
        ? <p class="empty">No monitors yet. Add the first one to start watching a website.</p>
        : (
          <div class="table-wrap">
            <table class="monitors">
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Monitor</th>
                  <th scope="col">Response</th>
                  <th scope="col">TLS</th>
                  <th scope="col">Last check</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((raw) => [
                  <MonitorRow
                    key={raw.id}
                    monitor={raw}
                    live={live.get(raw.id)}
                    editing={editing === raw.id}
                    actions={actions}
                    recent={recent[raw.id] ?? []}
                    uptime={uptime[raw.id]}
                  />,
                  editing === raw.id && (
                    <tr key={`${raw.id}-edit`} class="edit-row">
                      <td colSpan={6}>
                        <MonitorForm
                          monitor={raw}
                          onSaved={(saved) => {
                            replace(saved);
                            setEditing(null);
                          }}
                          onCancel={() => setEditing(null)}
                        />
                      </td>
                    </tr>
                  ),
                ])}
              </tbody>
            </table>
            {(shown.length < count) && (
              <p class="more">
                Showing {shown.length} of {count}.{" "}
                <button
                  type="button"
                  class="button small"
                  onClick={async () => {
                    if (!complete) await loadAll();
                    setLimit(limit + PAGE_SIZE);
                  }}
                >
                  Show {Math.min(PAGE_SIZE, count - shown.length)} more
                </button>
              </p>
            )}
          </div>
        )}
    </div>
  );
}
