import { composeMessage } from "../message.ts";
import { JSON_HEADERS, sendHttp } from "./_http.ts";
import type { Sender } from "./types.ts";

const COLOUR = { down: 0xd93025, up: 0x1e8e3e, info: 0x1a73e8 };

/** A Discord webhook message with one embed: title, link, colour, one field per line. */
export const sendDiscord: Sender = async ({ delivery, channel, publicUrl, signal }) => {
  const m = composeMessage(delivery.payload, publicUrl);
  const embed = {
    title: m.title.slice(0, 256),
    ...(m.link ? { url: m.link } : {}),
    color: COLOUR[m.tone],
    fields: m.fields.slice(0, 25).map(([name, value]) => ({
      name: name.slice(0, 256),
      value: value.slice(0, 1024),
    })),
    timestamp: new Date().toISOString(),
  };
  return await sendHttp(String(channel.config.webhook_url), {
    headers: JSON_HEADERS,
    body: JSON.stringify({ username: "V-Insight", embeds: [embed] }),
  }, signal);
};
