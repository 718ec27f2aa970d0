import type { ApiError } from "./types.ts";

/** A failed API call, with the field messages of a `validation_error`. */
export class ApiCallError extends Error {
  override name = "ApiCallError";
  constructor(readonly status: number, readonly body: ApiError | null) {
    super(body?.error.message ?? `Request failed (${status})`);
  }

  /** The message for one field, for display beside it. */
  fieldMessage(path: string): string | undefined {
    return this.body?.error.details?.find((d) => d.path === path)?.message;
  }
}

/** Calls the API with the session cookie; throws {@linkcode ApiCallError} on failure. */
export async function callApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
    throw new ApiCallError(401, null);
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiCallError(res.status, json);
  return json as T;
}
