import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "./app_env.ts";
import { type ErrorDetail, HttpError } from "./http_error.ts";

/** Request bodies larger than this are refused with 413 (API.md). */
export const MAX_BODY_BYTES = 65_536;

/**
 * Where a string is not Unicode text: a NUL character (PostgreSQL text cannot
 * hold it) or a lone surrogate (it has no UTF-8 form). `null` when it is fine.
 */
export function textProblem(value: string): string | null {
  if (value.includes("\u0000")) return "must not contain a NUL character";
  // A high surrogate not followed by a low one, or a low one without a high one before it.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    return "must not contain a lone surrogate";
  }
  return null;
}

/** Every string in a JSON value (keys included) that is not Unicode text, by path. */
export function textDetails(value: unknown, path: string[] = []): ErrorDetail[] {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? [{ path: path.join("."), message: problem }] : [];
  }
  if (value === null || typeof value !== "object") return [];
  const details: ErrorDetail[] = [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    const keyProblem = textProblem(key);
    if (keyProblem) details.push({ path: [...path, key].join("."), message: `name ${keyProblem}` });
    details.push(...textDetails(v, [...path, key]));
  }
  return details;
}

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
  return new HttpError(400, "validation_error", `${what}: ${summary}`, { details });
}

/** Reads an HTML form body (`application/x-www-form-urlencoded`) as one value per name. */
export async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams(await readBodyText(c)));
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

/** `413 payload_too_large`. */
export function payloadTooLarge(): HttpError {
  return new HttpError(413, "payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
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
  const bad = textDetails(value);
  if (bad.length) throw validationError(what, bad);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(what, zodDetails(parsed.error));
  return parsed.data;
}

/** A page size in a query string (`?limit=`): a whole number from 1 to 1000 (API.md). */
export const limitParam = z.string().regex(/^\d{1,7}$/, "must be a whole number")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000"));

/** A page's end in a query string (`?before=`): an RFC 3339 timestamp. */
export const beforeParam = z.iso.datetime({
  offset: true,
  message: "must be an RFC 3339 timestamp",
});

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
    const problem = textProblem(key) ?? textProblem(value);
    if (problem) throw validationError(what, [{ path: key, message: problem }]);
    query[key] = value;
  }
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw validationError(what, zodDetails(parsed.error));
  return parsed.data;
}
