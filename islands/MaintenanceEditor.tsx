import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { when } from "../client/format.ts";
import type { MaintenanceWindow } from "../client/types.ts";
import { useForm } from "../components/use_form.ts";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

type Draft = {
  title: string;
  message: string;
  starts: string;
  ends: string;
  repeat: "none" | "daily" | "weekly";
  weekdays: number[];
  monitor_ids: string[];
  mute_notifications: boolean;
  exclude_from_uptime: boolean;
};

/** A `datetime-local` value (the browser's local time) as RFC 3339, or as typed. */
function toIso(local: string): string {
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? local : t.toISOString();
}

function inHour(h: number): string {
  const t = new Date(Date.now() + h * 3_600_000);
  t.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:00`;
}

function WindowForm(
  { monitors, onSaved }: {
    monitors: { id: string; name: string }[];
    onSaved: (w: MaintenanceWindow) => void;
  },
) {
  const { fields: d, error, busy, set, setField, submit } = useForm<Draft, MaintenanceWindow>(
    () => ({
      title: "",
      message: "",
      starts: inHour(1),
      ends: inHour(2),
      repeat: "none",
      weekdays: [],
      monitor_ids: [],
      mute_notifications: true,
      exclude_from_uptime: true,
    }),
    (d) =>
      callApi("POST", "/api/v1/maintenance-windows", {
        title: d.title,
        message: d.message.trim() === "" ? null : d.message,
        starts_at: toIso(d.starts),
        ends_at: toIso(d.ends),
        recurrence: d.repeat === "none" ? null : {
          freq: d.repeat,
          ...(d.repeat === "weekly" && d.weekdays.length ? { weekdays: d.weekdays } : {}),
        },
        monitor_ids: d.monitor_ids,
        mute_notifications: d.mute_notifications,
        exclude_from_uptime: d.exclude_from_uptime,
      }),
    { onSaved, resetAfterSave: true },
  );
  const msg = (path: string) => {
    const m = error?.fieldMessage(path);
    return m && <span class="field-error" role="alert">{m}</span>;
  };
  const toggle = (list: string[] | number[], value: string | number) =>
    (list as (string | number)[]).includes(value)
      ? (list as (string | number)[]).filter((x) => x !== value)
      : [...list, value];
  return (
    <form class="card" onSubmit={submit} noValidate data-form="new-window">
      <h2>Plan maintenance</h2>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        <div class="field">
          <label for="mw-title">Title</label>
          <input id="mw-title" value={d.title} onInput={set("title")} maxLength={200} />
          {msg("title")}
        </div>
        <div class="field">
          <label for="mw-message">Message</label>
          <input
            id="mw-message"
            value={d.message}
            onInput={set("message")}
            placeholder="shown on status pages"
          />
        </div>
        <div class="field">
          <label for="mw-starts">Starts</label>
          <input id="mw-starts" type="datetime-local" value={d.starts} onInput={set("starts")} />
          {msg("starts_at")}
        </div>
        <div class="field">
          <label for="mw-ends">Ends</label>
          <input id="mw-ends" type="datetime-local" value={d.ends} onInput={set("ends")} />
          {msg("ends_at")}
        </div>
        <div class="field">
          <label for="mw-repeat">Repeats</label>
          <select id="mw-repeat" value={d.repeat} onChange={set("repeat")}>
            <option value="none">Once</option>
            <option value="daily">Every day</option>
            <option value="weekly">Every week</option>
          </select>
          {d.repeat === "weekly" && (
            <div>
              {WEEKDAYS.map((name, i) => (
                <label key={name}>
                  <input
                    type="checkbox"
                    checked={d.weekdays.includes(i)}
                    onChange={() => setField("weekdays", toggle(d.weekdays, i) as number[])}
                  />
                  {name}
                  {" "}
                </label>
              ))}
            </div>
          )}
        </div>
        <fieldset class="field channel-choice">
          <legend>Monitors</legend>
          {monitors.map((m) => (
            <label key={m.id}>
              <input
                type="checkbox"
                checked={d.monitor_ids.includes(m.id)}
                onChange={() => setField("monitor_ids", toggle(d.monitor_ids, m.id) as string[])}
              />{" "}
              {m.name}
            </label>
          ))}
          {d.monitor_ids.length === 0 && (
            <span class="field-hint">
              None ticked: every monitor.
            </span>
          )}
          {msg("monitor_ids")}
        </fieldset>
        <div class="field field-check">
          <label>
            <input
              type="checkbox"
              checked={d.mute_notifications}
              onChange={set("mute_notifications")}
            />{" "}
            Mute notifications
          </label>
          <label>
            <input
              type="checkbox"
              checked={d.exclude_from_uptime}
              onChange={set("exclude_from_uptime")}
            />{" "}
            Leave out of uptime
          </label>
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>Plan it</button>
      </div>
    </form>
  );
}

/** Maintenance windows: plan, see what is on now, remove. */
export default function MaintenanceEditor(
  { windows: initial, monitors }: {
    windows: MaintenanceWindow[];
    monitors: { id: string; name: string }[];
  },
) {
  const [windows, setWindows] = useState(initial);
  const names = Object.fromEntries(monitors.map((m) => [m.id, m.name]));
  async function remove(w: MaintenanceWindow) {
    if (!confirm(`Delete the maintenance window ${w.title}?`)) return;
    await callApi("DELETE", `/api/v1/maintenance-windows/${w.id}`);
    setWindows(windows.filter((x) => x.id !== w.id));
  }
  return (
    <div class="maintenance">
      <h1>Maintenance</h1>
      <WindowForm monitors={monitors} onSaved={(w) => setWindows([...windows, w])} />
      {windows.length === 0 ? <p class="empty">No maintenance planned.</p> : (
        <ul class="rule-list">
          {windows.map((w) => (
            <li key={w.id} class="card" data-window-id={w.id}>
              <div class="rule">
                <div>
                  <strong>{w.title}</strong> {w.active && <span class="badge">on now</span>}
                  <div class="muted">
                    {when(w.starts_at)} – {when(w.ends_at)}
                    {w.recurrence && ` · ${w.recurrence.freq}`} · {w.monitor_ids.length
                      ? w.monitor_ids.map((id) => names[id] ?? "a monitor").join(", ")
                      : "every monitor"}
                    {w.mute_notifications ? " · muted" : ""}
                    {w.exclude_from_uptime ? " · out of uptime" : ""}
                  </div>
                </div>
                <div class="actions">
                  <button type="button" class="button small danger" onClick={() => remove(w)}>
                    Delete
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
