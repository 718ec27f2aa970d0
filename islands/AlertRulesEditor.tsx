import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { numberField, useForm } from "../components/use_form.ts";
import { describeCondition } from "../client/format.ts";
import type { AlertRule, Condition } from "../client/types.ts";

type Draft = {
  name: string;
  monitor_id: string;
  type: Condition["type"];
  count: string;
  ms: string;
  for_checks: string;
  days: string;
  enabled: boolean;
  channel_ids: string[];
  /** Minutes between reminders, or "" for none. */
  reminder: string;
};

/** A channel as the editor offers it. */
export interface ChannelChoice {
  id: string;
  name: string;
  type: string;
  is_default: boolean;
}

function draftOf(r?: AlertRule): Draft {
  const c = r?.condition;
  return {
    name: r?.name ?? "",
    monitor_id: r?.monitor_id ?? "",
    type: c?.type ?? "consecutive_failures",
    count: String(c?.type === "consecutive_failures" ? c.count : 3),
    ms: String(c?.type === "response_time_above" ? c.ms : 2000),
    for_checks: String(c?.type === "response_time_above" ? c.for_checks : 3),
    days: String(c?.type === "ssl_expires_within" ? c.days : 14),
    enabled: r?.enabled ?? true,
    channel_ids: r?.channel_ids ?? [],
    reminder: r?.reminder_minutes ? String(r.reminder_minutes) : "",
  };
}

function conditionOf(d: Draft) {
  switch (d.type) {
    case "consecutive_failures":
      return { type: d.type, count: numberField(d.count) };
    case "response_time_above":
      return { type: d.type, ms: numberField(d.ms), for_checks: numberField(d.for_checks) };
    case "ssl_expires_within":
      return { type: d.type, days: numberField(d.days) };
  }
}

function RuleForm(
  { rule, monitors, channels, onSaved, onCancel }: {
    rule?: AlertRule;
    monitors: { id: string; name: string }[];
    channels: ChannelChoice[];
    onSaved: (r: AlertRule) => void;
    onCancel?: () => void;
  },
) {
  const p = rule ? `rule-${rule.id}` : "rule-new";
  const { fields: d, error, set, setField, submit } = useForm(
    () => draftOf(rule),
    (d) => {
      const body = {
        name: d.name,
        monitor_id: d.monitor_id || null,
        condition: conditionOf(d),
        enabled: d.enabled,
        channel_ids: d.channel_ids,
        reminder_minutes: d.reminder.trim() === "" ? null : numberField(d.reminder),
      };
      return rule
        ? callApi<AlertRule>("PATCH", `/api/v1/alert-rules/${rule.id}`, body)
        : callApi<AlertRule>("POST", "/api/v1/alert-rules", body);
    },
    { onSaved, resetAfterSave: !rule },
  );
  const msg = (path: string) => {
    const m = error?.fieldMessage(path);
    return m && <span class="field-error" role="alert">{m}</span>;
  };
  return (
    <form class="card rule-form" onSubmit={submit} noValidate>
      <h3>{rule ? `Edit ${rule.name}` : "New alert rule"}</h3>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        <div class="field">
          <label for={`${p}-name`}>Name</label>
          <input id={`${p}-name`} value={d.name} onInput={set("name")} maxLength={100} />
          {msg("name")}
        </div>
        <div class="field">
          <label for={`${p}-monitor`}>Applies to</label>
          <select id={`${p}-monitor`} value={d.monitor_id} onChange={set("monitor_id")}>
            <option value="">Every monitor</option>
            {monitors.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
          </select>
          {msg("monitor_id")}
        </div>
        <div class="field">
          <label for={`${p}-type`}>Condition</label>
          <select id={`${p}-type`} value={d.type} onChange={set("type")}>
            <option value="consecutive_failures">Consecutive failures</option>
            <option value="response_time_above">Response time above</option>
            <option value="ssl_expires_within">TLS certificate expires within</option>
          </select>
        </div>
        {d.type === "consecutive_failures" && (
          <div class="field">
            <label for={`${p}-count`}>Failures in a row</label>
            <input id={`${p}-count`} inputMode="numeric" value={d.count} onInput={set("count")} />
            {msg("condition.count")}
          </div>
        )}
        {d.type === "response_time_above" && (
          <>
            <div class="field">
              <label for={`${p}-ms`}>Milliseconds</label>
              <input id={`${p}-ms`} inputMode="numeric" value={d.ms} onInput={set("ms")} />
              {msg("condition.ms")}
            </div>
            <div class="field">
              <label for={`${p}-for`}>For checks</label>
              <input
                id={`${p}-for`}
                inputMode="numeric"
                value={d.for_checks}
                onInput={set("for_checks")}
              />
              {msg("condition.for_checks")}
            </div>
          </>
        )}
        {d.type === "ssl_expires_within" && (
          <div class="field">
            <label for={`${p}-days`}>Days</label>
            <input id={`${p}-days`} inputMode="numeric" value={d.days} onInput={set("days")} />
            {msg("condition.days")}
          </div>
        )}
        <fieldset class="field channel-choice">
          <legend>Notify</legend>
          {channels.length === 0
            ? (
              <span class="field-hint">
                No channels yet: <a href="/notifications">add one</a>.
              </span>
            )
            : channels.map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  value={c.id}
                  checked={d.channel_ids.includes(c.id)}
                  onChange={(e) => {
                    const on = (e.currentTarget as HTMLInputElement).checked;
                    setField(
                      "channel_ids",
                      on ? [...d.channel_ids, c.id] : d.channel_ids.filter((x) => x !== c.id),
                    );
                  }}
                />{" "}
                {c.name} <span class="muted">({c.type}{c.is_default ? ", default" : ""})</span>
              </label>
            ))}
          {channels.length > 0 && d.channel_ids.length === 0 && (
            <span class="field-hint">None ticked: the default channels are notified.</span>
          )}
          {msg("channel_ids")}
        </fieldset>
        <div class="field">
          <label for={`${p}-reminder`}>Remind every (minutes)</label>
          <input
            id={`${p}-reminder`}
            inputMode="numeric"
            placeholder="no reminders"
            value={d.reminder}
            onInput={set("reminder")}
          />
          {msg("reminder_minutes")}
        </div>
        <div class="field field-check">
          <label>
            <input type="checkbox" checked={d.enabled} onChange={set("enabled")} /> Enabled
          </label>
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary">{rule ? "Save" : "Create rule"}</button>
        {onCancel && <button type="button" class="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

/** Create, edit and delete alert rules of the three types. */
export default function AlertRulesEditor(
  { rules: initial, monitors, channels }: {
    rules: AlertRule[];
    monitors: { id: string; name: string }[];
    channels: ChannelChoice[];
  },
) {
  const channelNames = Object.fromEntries(channels.map((c) => [c.id, c.name]));
  const [rules, setRules] = useState(initial);
  const [editing, setEditing] = useState<string | null>(null);
  const names = Object.fromEntries(monitors.map((m) => [m.id, m.name]));
  async function remove(r: AlertRule) {
    if (!confirm(`Delete the rule ${r.name}?`)) return;
    await callApi("DELETE", `/api/v1/alert-rules/${r.id}`);
    setRules(rules.filter((x) => x.id !== r.id));
  }
  return (
    <div class="rules">
      <h1>Alert rules</h1>
      <RuleForm monitors={monitors} channels={channels} onSaved={(r) => setRules([...rules, r])} />
      {rules.length === 0
        ? <p class="empty">No rules yet: incidents open only when a rule says so.</p>
        : (
          <ul class="rule-list">
            {rules.map((r) => (
              <li key={r.id} class="card" data-rule-id={r.id}>
                {editing === r.id
                  ? (
                    <RuleForm
                      rule={r}
                      monitors={monitors}
                      channels={channels}
                      onSaved={(saved) => {
                        setRules(rules.map((x) => (x.id === saved.id ? saved : x)));
                        setEditing(null);
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  )
                  : (
                    <div class="rule">
                      <div>
                        <strong>{r.name}</strong>{" "}
                        {!r.enabled && <span class="muted">(disabled)</span>}
                        <div class="muted">
                          {describeCondition(r.condition)} ·{" "}
                          {r.monitor_id ? names[r.monitor_id] ?? "a monitor" : "every monitor"} ·
                          {" "}
                          {r.channel_ids.length
                            ? `notifies ${
                              r.channel_ids.map((id) => channelNames[id] ?? "a channel").join(", ")
                            }`
                            : "notifies the default channels"}
                          {r.reminder_minutes ? ` · reminds every ${r.reminder_minutes} min` : ""}
                        </div>
                      </div>
                      <div class="actions">
                        <button type="button" class="button small" onClick={() => setEditing(r.id)}>
                          Edit
                        </button>
                        <button type="button" class="button small danger" onClick={() => remove(r)}>
                          Delete
                        </button>
                      </div>
                    </div>
                  )}
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
