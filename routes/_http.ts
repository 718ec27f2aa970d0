import type { Context } from "hono";
import type { z } from "zod";
import { type ErrorDetail, HttpError } from "../core/http_error.ts";
import type { AppEnv } from "./_env.ts";

/** Request bodies larger than this are refused with 413 (API.md). */
export const MAX_BODY_BYTES = 65_536;

/** Turns zod issues into API.md `details`, naming unknown keys by their path. */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        details.push({
          path: [...issue.path, key].join("."),
          message: "is not a known field",
        });
      }
    } else {
      details.push({ path: issue.path.join("."), message: issue.message });
    }
  }
  return details;
}

/** A `400 validation_error` whose message lists the problems in one sentence. */
export function validationError(
  what: string,
  details: ErrorDetail[],
): HttpError {
  const summary = details.map((
    d,
  ) => (d.path ? `${d.path} ${d.message}` : d.message)).join("; ");
  return new HttpError(400, "validation_error", `${what}: ${summary}`, details);
}

/** Reads the body as text, refusing more than {@linkcode MAX_BODY_BYTES}. */
export async function readBodyText(c: Context<AppEnv>): Promise<string> {
  const declared = c.req.header("content-length");
  if (declared && Number(declared) > MAX_BODY_BYTES) throw payloadTooLarge();
  const body = c.req.raw.body;
  if (!body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(all);
  } catch {
    throw new HttpError(400, "invalid_json", "Request body is not valid UTF-8");
  }
}

function payloadTooLarge() {
  return new HttpError(
    413,
    "payload_too_large",
    `Request body exceeds ${MAX_BODY_BYTES} bytes`,
  );
}

/**
 * Reads a JSON body and validates it with `schema`. Bad JSON is `invalid_json`;
 * JSON of the wrong shape is `validation_error` with one detail per problem.
 */
export async function readJson<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  what: string,
): Promise<z.infer<S>> {
  const text = await readBodyText(c);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(
      400,
      "invalid_json",
      text.trim() === ""
        ? "Request body is empty; send a JSON object"
        : "Request body is not valid JSON",
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw validationError(what, [{
      path: "",
      message: "body must be a JSON object",
    }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(what, zodDetails(parsed.error));
  return parsed.data;
}

/** Validates the query string with `schema`; repeated parameters are refused. */
export function readQuery<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  what: string,
): z.infer<S> {
  const params = new URL(c.req.url).searchParams;
  const query: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in query) {
      throw validationError(what, [{
        path: key,
        message: "is given more than once",
      }]);
    }
    query[key] = value;
  }
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw validationError(what, zodDetails(parsed.error));
  return parsed.data;
}

/** The client's address: the socket peer, or the proxy's last hop when `TRUST_PROXY`. */
export function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).at(
      -1,
    );
    if (last) return last;
  }
  return c.env?.remoteAddr?.hostname ?? "unknown";
}

/** Whether the client reached us over https (directly or through a trusted proxy). */
export function isHttps(c: Context<AppEnv>, trustProxy: boolean): boolean {
  if (trustProxy) {
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0].trim()
      .toLowerCase();
    if (proto) return proto === "https";
  }
  return new URL(c.req.url).protocol === "https:";
}

/** The server's own origin as the browser sees it. */
export function ownOrigin(c: Context<AppEnv>, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const host = (trustProxy && c.req.header("x-forwarded-host")) ||
    c.req.header("host") || url.host;
  return `${isHttps(c, trustProxy) ? "https" : "http"}://${host}`;
}

/** The `:id` path parameter. */
export function idParam(c: Context<AppEnv>): string {
  return c.req.param("id") ?? "";
}
