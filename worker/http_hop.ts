import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { isIpLiteral } from "../core/net/private_address.ts";
import { CheckFailure } from "./check_failure.ts";
import { assertHostAllowed, type Guard, guardedLookup } from "./guarded_lookup.ts";
import { readTls, type TlsInfo } from "./read_tls.ts";

/** The body is read up to this much (the keyword is searched in it). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@linkcode httpHop}. */
export interface HopOptions {
  method: string;
  /** The monitor's request headers (ours come first, theirs may override Accept). */
  headers?: Record<string, string>;
  /** The request body, for methods that send one. */
  body?: string | null;
  guard: Guard;
  /** Read the body (for a keyword); otherwise the connection closes after the head. */
  wantBody: boolean;
  signal: AbortSignal;
}

/** What one request found: its status, a redirect, the body, the certificate. */
export interface HopResult {
  status: number;
  location: string | null;
  body: Uint8Array | null;
  tls: TlsInfo | null;
}

/**
 * One HTTP(S) request without following redirects: the host checked against
 * the address policy before connecting and at connect time, the certificate
 * read (never trusted blindly: `rejectUnauthorized` is off so that the check
 * can say what is wrong with it), at most {@linkcode MAX_BODY_BYTES} of body.
 */
export function httpHop(url: URL, opts: HopOptions): Promise<HopResult> {
  const { guard, wantBody, signal } = opts;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  assertHostAllowed(host, guard);
  const isHttps = url.protocol === "https:";
  const mod = isHttps ? https : http;
  return new Promise<HopResult>((resolve, reject) => {
    let tls: TlsInfo | null = null;
    const req = mod.request(url, {
      method: opts.method,
      agent: false,
      lookup: guardedLookup(guard) as never,
      headers: {
        "User-Agent": "V-Insight/1.0 (uptime monitor)",
        "Accept": "*/*",
        ...opts.headers,
        // The keyword and the JSON assertion read the body as sent.
        "Accept-Encoding": "identity",
        ...(opts.body != null
          ? { "Content-Length": String(new TextEncoder().encode(opts.body).byteLength) }
          : {}),
      },
      ...(isHttps
        ? {
          rejectUnauthorized: false,
          servername: isIpLiteral(host) ? undefined : host,
        }
        : {}),
    });
    const onAbort = () => req.destroy(new CheckFailure("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    req.on("error", (err) => {
      done();
      reject(err);
    });
    req.on("response", (res) => {
      if (isHttps) tls = readTls(res.socket as TLSSocket, host);
      const status = res.statusCode ?? 0;
      const location = status >= 300 && status < 400 ? res.headers.location ?? null : null;
      if (!wantBody || location || opts.method === "HEAD") {
        res.destroy();
        done();
        req.destroy();
        resolve({ status, location, body: null, tls });
        return;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        done();
        const body = new Uint8Array(Math.min(size, MAX_BODY_BYTES));
        let at = 0;
        for (const c of chunks) {
          const take = Math.min(c.byteLength, body.byteLength - at);
          body.set(c.subarray(0, take), at);
          at += take;
        }
        resolve({ status, location, body, tls });
      };
      res.on("data", (chunk: Uint8Array) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        if (size >= MAX_BODY_BYTES) {
          finish();
          res.destroy();
          req.destroy();
        }
      });
      res.on("end", finish);
      res.on("error", (err) => {
        if (!finished) {
          done();
          reject(err);
        }
      });
    });
    if (opts.body != null) req.write(opts.body);
    req.end();
  });
}
