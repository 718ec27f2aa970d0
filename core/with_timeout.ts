/** Thrown by {@linkcode withTimeout} when the time is up. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** Resolves like `promise`, or rejects with {@linkcode TimeoutError} after `ms`; the timer is always cleared. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what = "operation",
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`${what} timed out after ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
