import { composeMessage } from "../message.ts";
import { sendHttp } from "./_http.ts";
import type { Sender } from "./types.ts";

const TAGS = { down: "rotating_light", up: "white_check_mark", info: "information_source" };

/** `POST {server_url}/{topic}` with the text as body and `Title`, `Priority`, `Tags`, `Click`. */
export const sendNtfy: Sender = async ({ delivery, channel, publicUrl, signal }) => {
  const c = channel.config;
  const server = String(c.server_url ?? "https://ntfy.sh").replace(/\/+$/, "");
  const m = composeMessage(delivery.payload, publicUrl);
  const headers: Record<string, string> = {
    "Content-Type": "text/plain; charset=utf-8",
    // Header values are bytes: keep the title to what a header may carry.
    "Title": m.title.replace(/[^\x20-\x7e]/g, "?").slice(0, 250),
    "Priority": String(c.priority ?? (m.tone === "down" ? 4 : 3)),
    "Tags": TAGS[m.tone],
  };
  if (m.link) headers.Click = m.link;
  if (c.token) headers.Authorization = `Bearer ${c.token}`;
  return await sendHttp(`${server}/${encodeURIComponent(String(c.topic))}`, {
    headers,
    body: m.fields.map(([k, v]) => `${k}: ${v}`).join("\n"),
  }, signal);
};
