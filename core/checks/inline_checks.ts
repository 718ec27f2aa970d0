import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { ResultWriter } from "./result_writer.ts";
import { claimDueChecks, missedPushOutcome } from "./schedule.ts";
import type { CheckJob, CheckOutcome } from "./worker_protocol.ts";

/** Runs one check (the worker's `runCheck`, handed in: `core/` never imports `worker/`). */
export type RunCheck = (
  job: CheckJob,
  opts: { allowPrivateTargets: boolean; signal?: AbortSignal },
) => Promise<CheckOutcome>;

/** Options of {@linkcode InlineChecks}. */
export interface InlineChecksOptions {
  db: Database;
  log: Logger;
  metrics: Metrics;
  runCheck: RunCheck;
  /** Checks in flight at once, as in the worker. @default 200 */
  concurrency?: number;
  allowPrivateTargets?: boolean;
  /** How often a cron run looks for due monitors. @default 250 */
  pollMs?: number;
}

/**
 * Checks without a Worker, for Deno Deploy: the same claim query and the same
 * probe as the worker, run on the main thread with the same concurrency cap,
 * stored by the same {@linkcode ResultWriter}. A `Deno.cron` run calls
 * {@linkcode InlineChecks.runFor} for its minute, polling every 250 ms, so
 * intervals under 60 s still hold; {@linkcode InlineChecks.wake} claims at
 * once after a new monitor or a manual check.
 */
export class InlineChecks {
  #opts: Required<InlineChecksOptions>;
  #writer: ResultWriter;
  #running = new Map<string, Promise<void>>();
  #ticking = false;
  #stopped = false;
  #abort = new AbortController();
  #again: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: InlineChecksOptions) {
    this.#opts = { concurrency: 200, allowPrivateTargets: false, pollMs: 250, ...opts };
    this.#writer = new ResultWriter({ db: opts.db, log: opts.log, metrics: opts.metrics });
  }

  /** Checks running now. */
  get inFlight(): number {
    return this.#running.size;
  }

  /** Outcomes stored so far. */
  get stored(): number {
    return this.#writer.stored;
  }

  /** Outcomes waiting to be stored. */
  get backlog(): number {
    return this.#writer.backlog;
  }

  /**
   * Claims due monitors now and starts their checks, and once more a little
   * later: a new monitor's first check is due within 2 seconds, not at once.
   */
  wake(): void {
    this.#claimNow();
    clearTimeout(this.#again);
    this.#again = setTimeout(() => this.#claimNow(), 2500);
  }

  #claimNow() {
    if (this.#stopped || this.#ticking) return;
    this.#ticking = true;
    this.#tick().finally(() => (this.#ticking = false));
  }

  async #tick() {
    const room = this.#opts.concurrency - this.#running.size;
    if (room <= 0) return;
    try {
      const claimed = await claimDueChecks(this.#opts.db, room);
      let maxLag = 0;
      for (const { job, lagSeconds } of claimed) {
        maxLag = Math.max(maxLag, lagSeconds);
        if (job.kind === "push") {
          this.#writer.write(missedPushOutcome(job));
          continue;
        }
        if (this.#running.has(job.monitorId)) continue;
        const run = this.#opts.runCheck(job, {
          allowPrivateTargets: this.#opts.allowPrivateTargets,
          signal: this.#abort.signal,
        }).then((outcome) => this.#writer.write(outcome), (e) => {
          this.#opts.log.error("an inline check failed", { monitor_id: job.monitorId, error: e });
        }).finally(() => this.#running.delete(job.monitorId));
        this.#running.set(job.monitorId, run);
      }
      if (claimed.length) this.#opts.metrics.schedulerLagSeconds = maxLag;
    } catch (e) {
      this.#opts.log.warn("could not claim due monitors", { error: e });
    }
  }

  /**
   * One cron run: claims and runs due checks every `pollMs` for `ms`, then
   * waits for the checks it started and their storage.
   */
  async runFor(ms: number): Promise<void> {
    const end = performance.now() + ms;
    while (!this.#stopped && performance.now() < end) {
      this.#claimNow();
      await new Promise((r) => setTimeout(r, this.#opts.pollMs));
    }
    await Promise.all(this.#running.values());
    await this.#writer.drain(performance.now() + 5000);
  }

  /** Stops claiming; waits up to `graceMs` for running checks and their storage. */
  async stop(graceMs = 2000): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#again);
    const deadline = performance.now() + graceMs;
    await Promise.race([
      Promise.all(this.#running.values()),
      new Promise((r) => setTimeout(r, graceMs)),
    ]);
    this.#abort.abort();
    await this.#writer.drain(deadline);
  }
}
