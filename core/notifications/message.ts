import type { Condition } from "../alerts/schema.ts";
import type { NotificationPayload } from "./payload.ts";

/** A notification as a person reads it, before each channel shapes it. */
export interface Message {
  /** One line: what happened to what. */
  title: string;
  /** Label → value lines: monitor, rule, error, when, how long. */
  fields: [string, string][];
  /** The monitor's page, when there is one. */
  link: string | null;
  /** Colour and tags: red when down, green when resolved. */
  tone: "down" | "up" | "info";
}

/** A duration a person reads: `45 s`, `12 min 5 s`, `3 h 20 min`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A timestamp a person reads, in UTC: `2026-12-01 13:30 UTC`. */
export function formatTime(isoTime: string): string {
  return `${isoTime.slice(0, 10)} ${isoTime.slice(11, 16)} UTC`;
}

/** The rule's condition and what set it off, in words. */
export function describeTrigger(condition: Condition | null, value: number | null): string {
  if (!condition) return value === null ? "" : `trigger value ${value}`;
  switch (condition.type) {
    case "consecutive_failures": {
      const n = value ?? condition.count;
      return `${n} failed check${n === 1 ? "" : "s"} in a row (rule: ${condition.count})`;
    }
    case "response_time_above":
      return `response time ${
        value ?? "?"
      } ms, above ${condition.ms} ms for ${condition.for_checks} check${
        condition.for_checks === 1 ? "" : "s"
      }`;
    case "ssl_expires_within":
      return `TLS certificate expires in ${value ?? "?"} days (rule: within ${condition.days})`;
  }
}

/** The monitor page under the public URL. */
export function monitorLink(publicUrl: string, monitorId: string | undefined): string | null {
  return monitorId ? `${publicUrl.replace(/\/+$/, "")}/monitors/${monitorId}` : null;
}

/**
 * Composes what a person reads for one notification: the monitor's name and
 * URL, the rule and its trigger value, the error, when it began, for a
 * resolve how long it lasted, and the link to the monitor page. Pure.
 */
export function composeMessage(p: NotificationPayload, publicUrl: string): Message {
  if (p.items) return composeGroupedMessage(p.items, publicUrl);
  const link = monitorLink(publicUrl, p.monitor?.id);
  const fields: [string, string][] = [];
  if (p.monitor) fields.push(["Monitor", `${p.monitor.name} (${p.monitor.url})`]);
  if (p.rule) {
    const trigger = describeTrigger(p.rule.condition, p.incident?.trigger_value ?? null);
    fields.push(["Rule", trigger ? `${p.rule.name}: ${trigger}` : p.rule.name]);
  }
  if (p.error && p.event !== "incident.resolved") fields.push(["Error", p.error]);
  if (p.incident) fields.push(["Began", formatTime(p.incident.opened_at)]);
  const name = p.monitor?.name ?? "a monitor";
  switch (p.event) {
    case "incident.opened":
      return { title: `Down: ${name}`, fields, link, tone: "down" };
    case "incident.reminder": {
      const open = p.incident ? Date.now() - Date.parse(p.incident.opened_at) : 0;
      fields.push(["Down for", formatDuration(open)]);
      return { title: `Still down: ${name}`, fields, link, tone: "down" };
    }
    case "incident.resolved": {
      const i = p.incident;
      const lasted = i?.resolved_at ? Date.parse(i.resolved_at) - Date.parse(i.opened_at) : 0;
      fields.push(["Lasted", formatDuration(lasted)]);
      return {
        title: `Resolved: ${name} (after ${formatDuration(lasted)})`,
        fields,
        link,
        tone: "up",
      };
    }
    case "test":
      return {
        title: `Test notification for ${p.tenant.name}`,
        fields: [["Channel", "This channel works: V-Insight can reach it."]],
        link: publicUrl.replace(/\/+$/, "") + "/notifications",
        tone: "info",
      };
  }
}

/** One message for a burst: every monitor named, each with what happened. */
export function composeGroupedMessage(items: NotificationPayload[], publicUrl: string): Message {
  const down = items.filter((i) => i.event !== "incident.resolved").length;
  const up = items.length - down;
  const parts = [down && `${down} down`, up && `${up} resolved`].filter(Boolean).join(", ");
  return {
    title: `${items.length} notifications: ${parts}`,
    fields: items.map((i) => {
      const m = composeMessage(i, publicUrl);
      return [i.monitor?.name ?? "monitor", `${m.title}${m.link ? ` — ${m.link}` : ""}`];
    }),
    link: publicUrl.replace(/\/+$/, "") + "/incidents",
    tone: down ? "down" : "up",
  };
}

/** The message as plain text: the title, then one `Label: value` line each, then the link. */
export function messageText(m: Message): string {
  return [m.title, "", ...m.fields.map(([k, v]) => `${k}: ${v}`), ...(m.link ? ["", m.link] : [])]
    .join("\n");
}
