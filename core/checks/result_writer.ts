import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { storeResults } from "./store_results.ts";
import type { CheckOutcome } from "./worker_protocol.ts";

/** Outcomes stored per transaction at most. */
const MAX_BATCH = 500;
/** The longest wait between attempts to store a batch. */
const MAX_STORE_DELAY_MS = 10_000;

/** Options of {@linkcode ResultWriter}. */
export interface ResultWriterOptions {
  db: Database;
  log: Logger;
  metrics: Metrics;
  /** Outcomes kept for retry while the database refuses them. @default 200_000 */
  maxBacklog?: number;
}

/**
 * Stores check outcomes in batches, one transaction each (`storeResults`).
 * Batching adapts to load: with no batch being written an outcome is written
 * at once; otherwise it joins the next batch, written as soon as the current
 * one commits. A batch the database refuses (an outage, a deadlock or
 * serialisation failure) goes back to the front and is tried again with a
 * backoff from 250 ms doubling to 10 s; outcomes go on queueing meanwhile, up
 * to `maxBacklog`, past which the oldest are dropped, logged and counted in
 * `vinsight_check_results_dropped_total`. Nothing is dropped silently.
 */
export class ResultWriter {
  #opts: Required<ResultWriterOptions>;
  #pending: CheckOutcome[] = [];
  #flushing: Promise<void> | null = null;
  /** Give up retrying after this moment (set when stopping). */
  #deadline = Infinity;
  /** Outcomes stored so far. */
  stored = 0;

  constructor(opts: ResultWriterOptions) {
    this.#opts = { maxBacklog: 200_000, ...opts };
  }

  /** Outcomes waiting to be stored. */
  get backlog(): number {
    return this.#pending.length;
  }

  /** Whether a batch is being written. */
  get busy(): boolean {
    return this.#flushing !== null;
  }

  /** Queues an outcome for storage. */
  write(outcome: CheckOutcome): void {
    this.#pending.push(outcome);
    if (!this.#flushing) this.#flushing = this.#flush();
  }

  async #flush() {
    const { metrics, log, db } = this.#opts;
    let delay = 250;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH);
      try {
        const { stored } = await storeResults(db, batch);
        delay = 250;
        this.stored += stored.length;
        const kept = new Set(stored.map((s) => s.check.monitor_id));
        for (const outcome of batch) {
          if (!kept.has(outcome.monitorId)) continue;
          metrics.checksTotal[outcome.success ? "success" : "failure"]++;
          metrics.observeCheckDuration(outcome.durationMs / 1000);
        }
      } catch (e) {
        this.#pending.unshift(...batch);
        const over = this.#pending.length - this.#opts.maxBacklog;
        if (over > 0) {
          this.#pending.splice(0, over);
          metrics.checkResultsDropped += over;
          log.error("check results dropped: the backlog is full", { dropped: over });
        }
        log.error("could not store check results; retrying", {
          count: batch.length,
          backlog: this.#pending.length,
          retry_in_ms: delay,
          error: e,
        });
        if (performance.now() > this.#deadline) break;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, MAX_STORE_DELAY_MS);
      }
    }
    this.#flushing = null;
  }

  /** Waits for what is queued to be stored, retrying until `deadline` (a `performance.now()` time). */
  async drain(deadline: number): Promise<void> {
    this.#deadline = deadline;
    while (this.#flushing && performance.now() < deadline) await this.#flushing;
    await this.#flushing;
  }
}
