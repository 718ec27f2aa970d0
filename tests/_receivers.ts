/**
 * Receivers for notification tests, on loopback: an HTTP server that records
 * every request and answers from a per-path script, and a real SMTP server
 * (npm smtp-server) that keeps every mail it accepts.
 */
import { SMTPServer } from "smtp-server";

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: Headers;
  body: string;
  at: number;
}

/** A scripted answer. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow receiver). */
  delayMs?: number;
}

/** An HTTP receiver on loopback. */
export interface Receiver {
  url: string;
  requests: Received[];
  /** Answers for the next requests to `path`, in order; after them, 200. */
  script(path: string, answers: Answer[]): void;
  on(path: string): Received[];
  close(): Promise<void>;
}

/** Starts an HTTP receiver that answers 200 unless scripted otherwise. */
export function startReceiver(): Receiver {
  const requests: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    requests.push({ path, headers: req.headers, body: await req.text(), at: performance.now() });
    const answer = scripts.get(path)?.shift() ?? { status: 200 };
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    return new Response(answer.status === 204 ? null : "{}", {
      status: answer.status,
      headers: answer.headers,
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    script: (path, answers) => scripts.set(path, [...answers]),
    on: (path) => requests.filter((r) => r.path === path),
    close: () => server.shutdown(),
  };
}

/** One mail the SMTP server accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Whether the session ran over TLS (STARTTLS or implicit). */
  secure: boolean;
}

/** A real SMTP server on loopback. */
export interface MailReceiver {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * Starts an SMTP server: with `secure`, implicit TLS (smtps); otherwise plain
 * with STARTTLS offered. Both use smtp-server's built-in self-signed
 * certificate, so the client must accept it (`?tls.rejectUnauthorized=false`).
 */
export async function startMailReceiver(opts: { secure?: boolean } = {}): Promise<MailReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: opts.secure ?? false,
    authOptional: true,
    disabledCommands: ["AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Uint8Array[] = [];
      stream.on("data", (c: Uint8Array) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: new TextDecoder().decode(
            chunks.reduce((a, b) => {
              const out = new Uint8Array(a.length + b.length);
              out.set(a);
              out.set(b, a.length);
              return out;
            }, new Uint8Array()),
          ),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.server.address();
      resolve(typeof addr === "object" && addr ? addr.port : 0);
    });
  });
  return {
    port,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
