import { useEffect, useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { latestMonitorChecks, reloadGeneration } from "../client/event_stream.ts";
import { withLiveCheck } from "../client/live_check.ts";
import { StatusBadge } from "../components/StatusBadge.tsx";
import type { Monitor } from "../client/types.ts";

/** Counts of monitors up, down and pending, live. */
export default function DashboardSummary({ monitors: initial }: { monitors: Monitor[] }) {
  const [monitors, setMonitors] = useState(initial);
  const generation = reloadGeneration.value;
  useEffect(() => {
    if (generation === 0) return;
    callApi<{ monitors: Monitor[] }>("GET", "/api/v1/monitors").then((r) =>
      setMonitors(r.monitors)
    );
  }, [generation]);
  const live = latestMonitorChecks.value;
  const counts = { up: 0, down: 0, pending: 0 };
  for (const m of monitors) {
    if (m.enabled) counts[withLiveCheck(m, live.get(m.id)).status]++;
  }
  const down = monitors.map((m) => withLiveCheck(m, live.get(m.id))).filter((m) =>
    m.enabled && m.status === "down"
  );
  return (
    <section class="summary" aria-label="Monitor status">
      <div class="tiles">
        {(["up", "down", "pending"] as const).map((s) => (
          <div class={`tile tile-${s}`} key={s}>
            <StatusBadge status={s} />
            <span class="tile-count" data-count={s}>{counts[s]}</span>
          </div>
        ))}
      </div>
      {down.length > 0 && (
        <div class="card">
          <h2>Down now</h2>
          <ul class="plain">
            {down.map((m) => (
              <li key={m.id}>
                <a href={`/monitors/${m.id}`}>{m.name}</a>{" "}
                <span class="error-text">{m.last_check?.error_message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
