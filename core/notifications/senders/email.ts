import { composeMessage, messageText } from "../message.ts";
import type { Sender } from "./types.ts";

/** Escapes text for HTML mail bodies. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** A multipart mail (text and HTML) to the channel's addresses over `SMTP_URL`. */
export const sendEmail: Sender = async ({ delivery, channel, publicUrl, mailer }) => {
  if (!mailer) {
    return {
      ok: false,
      retryable: false,
      status: null,
      error: "SMTP_URL is not set on this server",
    };
  }
  const m = composeMessage(delivery.payload, publicUrl);
  const colour = m.tone === "down" ? "#d93025" : m.tone === "up" ? "#1e8e3e" : "#1a73e8";
  const rows = m.fields.map(([k, v]) =>
    `<tr><th align="left" style="padding:4px 12px 4px 0">${
      escapeHtml(k)
    }</th><td style="padding:4px 0">${escapeHtml(v)}</td></tr>`
  ).join("");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">` +
    `<h2 style="color:${colour}">${escapeHtml(m.title)}</h2><table>${rows}</table>` +
    (m.link ? `<p><a href="${escapeHtml(m.link)}">Open in V-Insight</a></p>` : "") +
    `</body></html>`;
  return await mailer.send({
    to: (channel.config.to as string[]) ?? [],
    subject: m.title,
    text: messageText(m),
    html,
    messageId: `<${delivery.id}@v-insight>`,
  });
};
