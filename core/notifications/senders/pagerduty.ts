import { composeMessage } from "../message.ts";
import { JSON_HEADERS, sendHttp } from "./_http.ts";
import type { Sender } from "./types.ts";

/**
 * PagerDuty Events API v2: `trigger` when an incident opens (and for a
 * reminder or a test), `resolve` when it resolves; `dedup_key` is the
 * incident id, so PagerDuty pairs them and drops a retried duplicate.
 */
export const sendPagerDuty: Sender = async ({ delivery, channel, publicUrl, signal }) => {
  const p = delivery.payload;
  const m = composeMessage(p, publicUrl);
  const url = String(channel.config.events_url ?? "https://events.pagerduty.com/v2/enqueue");
  const dedupKey = p.incident?.id ?? `test-${delivery.id}`;
  const body = p.event === "incident.resolved"
    ? { routing_key: channel.config.routing_key, event_action: "resolve", dedup_key: dedupKey }
    : {
      routing_key: channel.config.routing_key,
      event_action: "trigger",
      dedup_key: dedupKey,
      payload: {
        summary: m.title.slice(0, 1024),
        source: p.monitor?.url ?? "V-Insight",
        severity: p.event === "test" ? "info" : "critical",
        timestamp: p.incident?.opened_at ?? new Date().toISOString(),
        component: p.monitor?.name,
        custom_details: Object.fromEntries(m.fields),
      },
      ...(m.link ? { links: [{ href: m.link, text: "Open in V-Insight" }] } : {}),
    };
  return await sendHttp(url, { headers: JSON_HEADERS, body: JSON.stringify(body) }, signal);
};
