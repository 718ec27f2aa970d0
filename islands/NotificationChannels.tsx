import { useState } from "preact/hooks";
import { callApi } from "../client/api_client.ts";
import { when } from "../client/format.ts";
import type { Delivery, NotificationChannel } from "../client/types.ts";
import { numberField, useForm } from "../components/use_form.ts";

/** The fields of each channel type, as the add form shows them. */
const TYPE_FIELDS: Record<
  string,
  { key: string; label: string; hint?: string; optional?: boolean }[]
> = {
  webhook: [{ key: "url", label: "URL", hint: "receives signed JSON (Standard Webhooks)" }],
  slack: [{ key: "webhook_url", label: "Incoming webhook URL" }],
  discord: [{ key: "webhook_url", label: "Webhook URL" }],
  telegram: [
    { key: "bot_token", label: "Bot token", hint: "from @BotFather" },
    { key: "chat_id", label: "Chat id" },
    { key: "api_url", label: "API URL", optional: true, hint: "default https://api.telegram.org" },
  ],
  ntfy: [
    { key: "topic", label: "Topic" },
    { key: "server_url", label: "Server URL", optional: true, hint: "default https://ntfy.sh" },
    { key: "token", label: "Access token", optional: true },
    { key: "priority", label: "Priority (1–5)", optional: true },
  ],
  email: [{ key: "to", label: "To", hint: "addresses, separated by commas" }],
  pagerduty: [
    { key: "routing_key", label: "Integration key", hint: "Events API v2" },
    { key: "events_url", label: "Events URL", optional: true },
  ],
};

const TYPE_LABELS: Record<string, string> = {
  webhook: "Webhook",
  slack: "Slack",
  discord: "Discord",
  telegram: "Telegram",
  ntfy: "ntfy",
  email: "Email",
  pagerduty: "PagerDuty",
};

type Draft = Record<string, string | boolean>;

function configOf(type: string, d: Draft): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of TYPE_FIELDS[type]) {
    const value = String(d[`config.${f.key}`] ?? "").trim();
    if (value === "" && f.optional) continue;
    if (f.key === "to") config.to = value.split(",").map((s) => s.trim()).filter(Boolean);
    else if (f.key === "priority") config.priority = numberField(value);
    else config[f.key] = value;
  }
  return config;
}

function AddChannel(
  { onAdded, smtp }: { onAdded: (c: NotificationChannel, secret?: string) => void; smtp: boolean },
) {
  const { fields: d, error, busy, set, submit } = useForm<
    Draft,
    NotificationChannel & { secret?: string }
  >(
    () => ({ name: "", type: "webhook", is_default: false }),
    (d) =>
      callApi("POST", "/api/v1/notification-channels", {
        name: d.name,
        type: d.type,
        config: configOf(String(d.type), d),
        is_default: d.is_default,
      }),
    { onSaved: (c) => onAdded(c, c.secret), resetAfterSave: true },
  );
  const type = String(d.type);
  const msg = (path: string) => {
    const m = error?.fieldMessage(path);
    return m && <span class="field-error" role="alert">{m}</span>;
  };
  return (
    <form class="card channel-form" onSubmit={submit} noValidate data-form="new-channel">
      <h2>Add a channel</h2>
      {error && !error.body?.error.details && <p class="form-error" role="alert">{error.message}
      </p>}
      <div class="form-grid">
        <div class="field">
          <label for="channel-name">Name</label>
          <input id="channel-name" value={String(d.name)} onInput={set("name")} maxLength={100} />
          {msg("name")}
        </div>
        <div class="field">
          <label for="channel-type">Type</label>
          <select id="channel-type" value={type} onChange={set("type")}>
            {Object.entries(TYPE_LABELS).map(([value, label]) => (
              <option value={value} disabled={value === "email" && !smtp}>
                {label}
                {value === "email" && !smtp ? " (needs SMTP_URL)" : ""}
              </option>
            ))}
          </select>
          {msg("type")}
        </div>
        {TYPE_FIELDS[type].map((f) => (
          <div class="field" key={`${type}-${f.key}`}>
            <label for={`channel-${f.key}`}>{f.label}{f.optional ? " (optional)" : ""}</label>
            <input
              id={`channel-${f.key}`}
              name={f.key}
              value={String(d[`config.${f.key}`] ?? "")}
              onInput={set(`config.${f.key}`)}
              autocomplete="off"
            />
            {msg(`config.${f.key}`) || (f.hint && <span class="field-hint">{f.hint}</span>)}
          </div>
        ))}
        <div class="field field-check">
          <label>
            <input type="checkbox" checked={Boolean(d.is_default)} onChange={set("is_default")} />
            {" "}
            Default: rules without channels notify it
          </label>
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "Adding…" : "Add channel"}
        </button>
      </div>
    </form>
  );
}

function Deliveries({ channel }: { channel: NotificationChannel }) {
  const [list, setList] = useState<Delivery[] | null>(null);
  async function load() {
    const res = await callApi<{ deliveries: Delivery[] }>(
      "GET",
      `/api/v1/notification-channels/${channel.id}/deliveries?limit=50`,
    );
    setList(res.deliveries);
  }
  async function retry(d: Delivery) {
    await callApi("POST", `/api/v1/deliveries/${d.id}/retry`);
    setTimeout(load, 1500);
  }
  if (!list) {
    return <button type="button" class="button small" onClick={load}>Show deliveries</button>;
  }
  return (
    <div class="deliveries">
      <button type="button" class="button small" onClick={load}>Refresh</button>
      {list.length === 0 ? <p class="muted">Nothing sent yet.</p> : (
        <table class="table compact">
          <thead>
            <tr>
              <th>When</th>
              <th>Kind</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Answer</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                <td>{when(d.created_at)}</td>
                <td>{d.kind.replace("_", " ")}</td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td class="error-text">
                  {d.last_error ?? (d.response_status ? `HTTP ${d.response_status}` : "")}
                  {d.status === "pending" && d.next_attempt_at &&
                    ` (next ${when(d.next_attempt_at)})`}
                </td>
                <td>
                  {d.status === "failed" && (
                    <button
                      type="button"
                      class="button small"
                      onClick={() => retry(d)}
                    >
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ChannelRow(
  { channel, onRemoved }: { channel: NotificationChannel; onRemoved: () => void },
) {
  const [test, setTest] = useState<string | null>(null);
  async function sendTest() {
    setTest("Sending…");
    try {
      const { delivery_id } = await callApi<{ delivery_id: string }>(
        "POST",
        `/api/v1/notification-channels/${channel.id}/test`,
      );
      for (let i = 0; i < 30; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const { deliveries } = await callApi<{ deliveries: Delivery[] }>(
          "GET",
          `/api/v1/notification-channels/${channel.id}/deliveries?limit=20`,
        );
        const d = deliveries.find((x) => x.id === delivery_id);
        if (d && d.status === "delivered") return setTest("Delivered ✓");
        if (d && (d.status === "failed" || d.last_error)) {
          return setTest(`${d.status === "failed" ? "Failed" : "Retrying"}: ${d.last_error}`);
        }
      }
      setTest("Still waiting; see the deliveries");
    } catch (e) {
      setTest(`Could not send: ${(e as Error).message}`);
    }
  }
  async function remove() {
    if (!confirm(`Delete the channel ${channel.name}?`)) return;
    await callApi("DELETE", `/api/v1/notification-channels/${channel.id}`);
    onRemoved();
  }
  return (
    <li class="card" data-channel-id={channel.id}>
      <div class="rule">
        <div>
          <strong>{channel.name}</strong> <span class="muted">{TYPE_LABELS[channel.type]}</span>
          {channel.is_default && <span class="badge">default</span>}
          {!channel.enabled && <span class="muted">(disabled)</span>}
          {test && <div class="test-result" role="status">{test}</div>}
        </div>
        <div class="actions">
          <button type="button" class="button small" onClick={sendTest}>Send test</button>
          <button type="button" class="button small danger" onClick={remove}>Delete</button>
        </div>
      </div>
      <Deliveries channel={channel} />
    </li>
  );
}

/** Notification channels: add one of each type, send a test, see deliveries and retry them. */
export default function NotificationChannels(
  { channels: initial, smtp }: { channels: NotificationChannel[]; smtp: boolean },
) {
  const [channels, setChannels] = useState(initial);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <div class="channels">
      <h1>Notifications</h1>
      <AddChannel
        smtp={smtp}
        onAdded={(c, s) => {
          setChannels([...channels, c]);
          setSecret(s ?? null);
        }}
      />
      {secret && (
        <div class="card secret" role="status">
          <strong>Signing secret — shown once:</strong> <code class="copy">{secret}</code>{" "}
          <button
            type="button"
            class="button small"
            onClick={() => navigator.clipboard?.writeText(secret)}
          >
            Copy
          </button>
          <p class="muted">
            Verify each webhook's <code>webhook-signature</code> with it (Standard Webhooks).
          </p>
        </div>
      )}
      {channels.length === 0
        ? <p class="empty">No channels yet: incidents show only on open dashboards.</p>
        : (
          <ul class="rule-list">
            {channels.map((c) => (
              <ChannelRow
                key={c.id}
                channel={c}
                onRemoved={() => setChannels(channels.filter((x) => x.id !== c.id))}
              />
            ))}
          </ul>
        )}
    </div>
  );
}
