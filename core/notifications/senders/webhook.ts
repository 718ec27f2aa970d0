import { monitorLink } from "../message.ts";
import { JSON_HEADERS, sendHttp } from "./_http.ts";
import { signWebhook } from "./sign_webhook.ts";
import type { Sender } from "./types.ts";

/**
 * `POST url` with `{type, timestamp, data: {incident, monitor, tenant, url}}`,
 * signed by the Standard Webhooks scheme; `webhook-id` is the delivery id, so
 * a retry carries the same id and the receiver can drop duplicates.
 */
export const sendWebhook: Sender = async ({ delivery, channel, publicUrl, signal }) => {
  const p = delivery.payload;
  const body = JSON.stringify({
    type: p.event,
    timestamp: new Date().toISOString(),
    data: {
      incident: p.incident,
      monitor: p.monitor,
      tenant: p.tenant,
      url: monitorLink(publicUrl, p.monitor?.id) ?? publicUrl,
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  return await sendHttp(String(channel.config.url), {
    headers: {
      ...JSON_HEADERS,
      "webhook-id": delivery.id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": await signWebhook(channel.secret ?? "", delivery.id, timestamp, body),
    },
    body,
  }, signal);
};
