/** Waits after attempt 1, 2, 3 …: about 10 s, 30 s, 2 min, 10 min, 30 min, then hourly (API.md). */
export const RETRY_SCHEDULE_MS = [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

/** A delivery still failing this long after it was made is given up. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** What one attempt to send came to. */
export type SendResult =
  | { ok: true; status: number | null }
  | {
    ok: false;
    /** Whether trying again may help (connection error, timeout, 408, 429, 5xx). */
    retryable: boolean;
    status: number | null;
    error: string;
    /** The receiver's `Retry-After`, in milliseconds. */
    retryAfterMs?: number;
  };

/** Classifies an HTTP answer: 2xx delivered; 408, 429 and 5xx worth retrying; other 4xx final. */
export function resultOfStatus(
  status: number,
  body: string,
  retryAfter: string | null,
): SendResult {
  if (status >= 200 && status < 300) return { ok: true, status };
  const retryable = status === 408 || status === 429 || status >= 500;
  const text = body.replace(/\s+/g, " ").trim().slice(0, 200);
  return {
    ok: false,
    retryable,
    status,
    error: `answered ${status}${text ? `: ${text}` : ""}`,
    retryAfterMs: parseRetryAfter(retryAfter),
  };
}

/** `Retry-After` as milliseconds: seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * When to try a failed delivery again, or `null` to give up. Pure: after
 * `attempts` attempts, the schedule's wait (its last entry repeating), or the
 * receiver's `Retry-After` when that is longer; given up when the next
 * attempt would fall past {@linkcode GIVE_UP_AFTER_MS} after `createdAt`.
 */
export function nextAttemptAt(
  result: Extract<SendResult, { ok: false }>,
  attempts: number,
  createdAt: number,
  now: number,
  schedule: readonly number[] = RETRY_SCHEDULE_MS,
): number | null {
  if (!result.retryable) return null;
  const wait = Math.max(
    schedule[Math.min(attempts, schedule.length) - 1] ?? schedule[0],
    result.retryAfterMs ?? 0,
  );
  const at = now + wait;
  return at - createdAt > GIVE_UP_AFTER_MS ? null : at;
}
