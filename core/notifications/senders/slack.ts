import { composeMessage, messageText } from "../message.ts";
import { JSON_HEADERS, sendHttp } from "./_http.ts";
import type { Sender } from "./types.ts";

const ICON = { down: ":red_circle:", up: ":large_green_circle:", info: ":information_source:" };

/** A Slack incoming-webhook message: `text` for notifications, `blocks` for the channel. */
export const sendSlack: Sender = async ({ delivery, channel, publicUrl, signal }) => {
  const m = composeMessage(delivery.payload, publicUrl);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: m.title.slice(0, 150) } },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: m.fields.map(([k, v]) => `*${k}:* ${v}`).join("\n").slice(0, 3000),
      },
    },
  ];
  if (m.link) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `<${m.link}|Open in V-Insight>` }],
    });
  }
  return await sendHttp(String(channel.config.webhook_url), {
    headers: JSON_HEADERS,
    body: JSON.stringify({ text: `${ICON[m.tone]} ${messageText(m)}`, blocks }),
  }, signal);
};
