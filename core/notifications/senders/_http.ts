import { resultOfStatus, type SendResult } from "../retry_policy.ts";

/**
 * Sends one HTTP request for a notification and classifies the answer. A
 * connection error or a timeout is worth retrying; the receiver's body is
 * kept (briefly) in the error so a person can see why it refused.
 */
export async function sendHttp(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body: string },
  signal: AbortSignal,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? "POST",
      headers: { "User-Agent": "V-Insight/1.0 (notifications)", ...init.headers },
      body: init.body,
      signal,
      redirect: "manual",
    });
  } catch (e) {
    const timedOut = signal.aborted;
    return {
      ok: false,
      retryable: true,
      status: null,
      error: timedOut ? "timed out after 10 s" : `could not connect: ${(e as Error).message}`,
    };
  }
  let text = "";
  try {
    text = await res.text();
  } catch {
    // the body does not matter once the status is known
  }
  return resultOfStatus(res.status, text, res.headers.get("retry-after"));
}

/** JSON headers. */
export const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8" };
