import { useEffect, useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { latestIncidents, reloadGeneration } from "../client/event_stream.ts";
import { when } from "../client/format.ts";
import type { Incident } from "../client/types.ts";

/** Merges live incident events over a list loaded from the API, newest first. */
export function mergeIncidents(base: Incident[], live: Map<string, Incident>): Incident[] {
  const byId = new Map(base.map((i) => [i.id, i]));
  for (const [id, i] of live) {
    byId.set(id, {
      ...byId.get(id),
      ...i,
      trigger_value: i.trigger_value ?? byId.get(id)?.trigger_value ?? null,
    });
  }
  return [...byId.values()].sort((a, b) => b.opened_at.localeCompare(a.opened_at));
}

/**
 * Open and resolved incidents, updated live. With `monitorId` it shows one
 * monitor's; `compact` lists only the open ones (the dashboard).
 */
export default function IncidentList(
  { incidents: initial, names, monitorId, compact }: {
    incidents: Incident[];
    names: Record<string, string>;
    monitorId?: string;
    compact?: boolean;
  },
) {
  const [base, setBase] = useState(initial);
  const generation = reloadGeneration.value;
  useEffect(() => {
    if (generation === 0) return;
    const q = monitorId ? `?monitor_id=${monitorId}` : "";
    callApi<{ incidents: Incident[] }>("GET", `/api/v1/incidents${q}`).then((r) =>
      setBase(r.incidents)
    );
  }, [generation]);
  let all = mergeIncidents(base, latestIncidents.value);
  if (monitorId) all = all.filter((i) => i.monitor_id === monitorId);
  const open = all.filter((i) => i.status === "open");
  const resolved = all.filter((i) => i.status === "resolved");
  const row = (i: Incident) => (
    <li
      key={i.id}
      class={`incident incident-${i.status}`}
      data-incident-id={i.id}
      data-status={i.status}
    >
      <span class="status-icon" aria-hidden="true">{i.status === "open" ? "▼" : "✓"}</span>
      <div>
        <strong>{names[i.monitor_id] ?? "Monitor"}</strong> — {i.rule_name}
        {i.trigger_value !== null && <span class="muted">(value {i.trigger_value})</span>}
        <div class="muted small">
          {i.status === "open" ? "Open since " : "Opened "}
          {when(i.opened_at)}
          {i.resolved_at && <>· resolved {when(i.resolved_at)}</>}
        </div>
      </div>
    </li>
  );
  return (
    <div class="incident-list">
      <h2>
        Open incidents <span class="count" data-count="open">{open.length}</span>
      </h2>
      {open.length === 0
        ? <p class="empty">No open incidents. All quiet.</p>
        : <ul class="incidents">{open.map(row)}</ul>}
      {!compact && (
        <>
          <h2>Resolved</h2>
          {resolved.length === 0
            ? <p class="empty">Nothing resolved yet.</p>
            : <ul class="incidents">{resolved.map(row)}</ul>}
        </>
      )}
    </div>
  );
}
