/** Options of {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /** Events allowed within the window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /** Keys tracked at most; the oldest are forgotten past it. @default 100_000 */
  maxKeys?: number;
  /** The clock. @default Date.now */
  now?: () => number;
}

/**
 * A fixed-window counter per key (an email, a client address), held in memory
 * with a bound on the number of keys. `retryAfter()` answers how many seconds
 * remain while a key is over its limit.
 */
export class RateLimiter {
  #hits = new Map<string, { count: number; resetAt: number }>();
  #opts: Required<RateLimiterOptions>;

  constructor(opts: RateLimiterOptions) {
    this.#opts = { maxKeys: 100_000, now: Date.now, ...opts };
  }

  #entry(key: string) {
    const now = this.#opts.now();
    const e = this.#hits.get(key);
    if (e && e.resetAt > now) return e;
    if (e) this.#hits.delete(key);
    return undefined;
  }

  /** Seconds until `key` may act again, or 0 when it is under its limit. */
  retryAfter(key: string): number {
    const e = this.#entry(key);
    if (!e || e.count < this.#opts.limit) return 0;
    return Math.max(1, Math.ceil((e.resetAt - this.#opts.now()) / 1000));
  }

  /** Counts one event for `key`. */
  hit(key: string): void {
    const e = this.#entry(key);
    if (e) {
      e.count++;
      return;
    }
    if (this.#hits.size >= this.#opts.maxKeys) {
      const oldest = this.#hits.keys().next().value;
      if (oldest !== undefined) this.#hits.delete(oldest);
    }
    this.#hits.set(key, {
      count: 1,
      resetAt: this.#opts.now() + this.#opts.windowMs,
    });
  }

  /**
   * Checks and counts in one step: answers 0 and counts the event when `key`
   * is under its limit, or the seconds to wait (counting nothing) when not.
   * Concurrent callers cannot pass the limit together.
   */
  take(key: string): number {
    const wait = this.retryAfter(key);
    if (wait === 0) this.hit(key);
    return wait;
  }

  /** Takes back one counted event of `key` (an attempt that turned out fine). */
  undo(key: string): void {
    const e = this.#entry(key);
    if (e && e.count > 0) e.count--;
  }

  /** Forgets `key`, e.g. after a successful login. */
  reset(key: string): void {
    this.#hits.delete(key);
  }
}
