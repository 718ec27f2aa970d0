import { composeMessage, messageText } from "../message.ts";
import { JSON_HEADERS, sendHttp } from "./_http.ts";
import type { Sender } from "./types.ts";

/** `POST {api_url}/bot{bot_token}/sendMessage` with `chat_id` and the text. */
export const sendTelegram: Sender = async ({ delivery, channel, publicUrl, signal }) => {
  const c = channel.config;
  const api = String(c.api_url ?? "https://api.telegram.org").replace(/\/+$/, "");
  const m = composeMessage(delivery.payload, publicUrl);
  const result = await sendHttp(`${api}/bot${c.bot_token}/sendMessage`, {
    headers: JSON_HEADERS,
    body: JSON.stringify({
      chat_id: c.chat_id,
      text: messageText(m).slice(0, 4096),
      disable_web_page_preview: true,
    }),
  }, signal);
  // The bot token is part of the URL: keep it out of any error text.
  if (!result.ok) result.error = result.error.replaceAll(String(c.bot_token), "********");
  return result;
};
