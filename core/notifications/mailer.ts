import type { SendResult } from "./retry_policy.ts";

/** One mail to send. */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** Sends mail over the server's SMTP. */
export interface Mailer {
  send(mail: Mail): Promise<SendResult>;
  close(): void;
}

/**
 * A mailer over `SMTP_URL` with nodemailer: `smtp://user:pass@host:587` uses
 * STARTTLS when the server offers it (add `?requireTLS=true` to insist),
 * `smtps://…:465` implicit TLS; `?tls.rejectUnauthorized=false` accepts a
 * self-signed certificate. A 5xx SMTP answer fails the delivery at once; a
 * connection error or a 4xx answer is retried. nodemailer is loaded only here,
 * when SMTP is set: an instance without mail does not keep it in its heap.
 */
export async function createMailer(smtpUrl: string, from: string): Promise<Mailer> {
  const { default: nodemailer } = await import("nodemailer");
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
        });
        const rejected = (info.rejected ?? []) as unknown[];
        if (rejected.length === mail.to.length && mail.to.length > 0) {
          return {
            ok: false,
            retryable: false,
            status: null,
            error: `every recipient was refused`,
          };
        }
        return { ok: true, status: null };
      } catch (e) {
        const err = e as { responseCode?: number; message?: string };
        const code = err.responseCode ?? null;
        return {
          ok: false,
          retryable: code === null || code < 500,
          status: code,
          error: `SMTP: ${(err.message ?? String(e)).slice(0, 300)}`,
        };
      }
    },
    close: () => transport.close(),
  };
}
