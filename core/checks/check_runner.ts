import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { claimDueChecks } from "./schedule.ts";
import { storeResults } from "./store_results.ts";
import {
  type CheckJob,
  type CheckOutcome,
  fromWorkerSchema,
  type ToWorker,
  WORKER_HEARTBEAT_MS,
} from "./worker_protocol.ts";

/** Options of {@linkcode CheckRunner}. */
export interface CheckRunnerOptions {
  db: Database;
  log: Logger;
  metrics: Metrics;
  /** Checks in flight at once. @default 200 */
  concurrency?: number;
  allowPrivateTargets?: boolean;
  /** How often to look for due monitors. @default 250 */
  pollMs?: number;
  /** A worker silent for this long is replaced. @default 5000 */
  heartbeatTimeoutMs?: number;
  /** The worker module. @default worker/main.ts */
  workerUrl?: URL;
}

const DEFAULT_WORKER = new URL("../../worker/main.ts", import.meta.url);
/** Outcomes stored per transaction at most. */
const MAX_BATCH = 500;

/**
 * Owns the check worker and the schedule on the main thread: claims due
 * monitors, hands them to the worker, stores each outcome with its events,
 * and replaces a worker that crashed or went silent, handing it again the
 * checks the old one held.
 */
export class CheckRunner {
  #opts: Required<Omit<CheckRunnerOptions, "workerUrl">> & { workerUrl: URL };
  #worker: Worker | null = null;
  #lastBeat = 0;
  #inFlight = new Map<string, CheckJob>();
  /** Outcomes waiting to be stored; flushed as one transaction. */
  #pending: CheckOutcome[] = [];
  #flushing: Promise<void> | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #ticking = false;
  #again = false;
  /** The last claim filled all the room: more monitors are due than the worker holds. */
  #backlog = false;
  #stopped = true;
  /** Scheduler lag samples of recent claims (seconds), for benchmarks. */
  readonly lagSamples: number[] = [];
  /** Worker restarts so far. */
  restarts = 0;
  /** Outcomes stored so far. */
  stored = 0;

  constructor(opts: CheckRunnerOptions) {
    this.#opts = {
      concurrency: 200,
      allowPrivateTargets: false,
      pollMs: 250,
      heartbeatTimeoutMs: 5000,
      ...opts,
      workerUrl: opts.workerUrl ?? DEFAULT_WORKER,
    };
  }

  /** Checks handed to the worker and not yet answered. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Starts the worker and the scheduler loop. */
  start(): void {
    this.#stopped = false;
    this.#spawn();
    this.#timer = setInterval(() => this.wake(), this.#opts.pollMs);
    this.#watchdog = setInterval(() => {
      if (performance.now() - this.#lastBeat > this.#opts.heartbeatTimeoutMs) {
        this.#opts.log.error("check worker stopped answering; restarting it");
        this.#respawn();
      }
    }, WORKER_HEARTBEAT_MS);
    this.wake();
  }

  #send(message: ToWorker) {
    this.#worker?.postMessage(message);
  }

  #spawn() {
    const worker = new Worker(this.#opts.workerUrl, {
      type: "module",
      name: "check-worker",
    });
    this.#worker = worker;
    this.#lastBeat = performance.now();
    worker.onmessage = (e) => this.#onMessage(worker, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.#opts.log.error("check worker crashed; restarting it", {
        error: e.message,
      });
      if (this.#worker === worker) this.#respawn();
    };
    worker.onmessageerror = () => {
      this.#opts.log.error("check worker sent an unreadable message");
    };
    this.#send({
      type: "configure",
      concurrency: this.#opts.concurrency,
      allowPrivateTargets: this.#opts.allowPrivateTargets,
    });
    for (const job of this.#inFlight.values()) {
      this.#send({ type: "check.run", job });
    }
  }

  #respawn() {
    this.#worker?.terminate();
    this.#worker = null;
    this.restarts++;
    if (!this.#stopped) this.#spawn();
  }

  /** The current worker, for tests that kill it. */
  get worker(): Worker | null {
    return this.#worker;
  }

  #onMessage(from: Worker, data: unknown) {
    if (from !== this.#worker) return; // a replaced worker's late words
    const parsed = fromWorkerSchema.safeParse(data);
    if (!parsed.success) {
      this.#opts.log.error("check worker sent a malformed message", {
        issues: parsed.error.issues,
      });
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case "heartbeat":
        this.#lastBeat = performance.now();
        break;
      case "check.completed":
        this.#lastBeat = performance.now();
        if (!this.#inFlight.delete(msg.outcome.monitorId)) return; // duplicate after a restart
        this.#store(msg.outcome);
        // With monitors already overdue, claim the next ones once the worker has room for a
        // batch (it still holds more than its concurrency); otherwise the poll finds them.
        if (this.#backlog && this.#inFlight.size <= this.#opts.concurrency * 1.5) this.wake();
        break;
    }
  }

  /**
   * Queues an outcome for storage. Batching adapts to load: when no batch is
   * being written the outcome is written at once; otherwise it joins the next
   * batch, written as soon as the current one commits.
   */
  #store(outcome: CheckOutcome) {
    this.#pending.push(outcome);
    if (!this.#flushing) this.#flushing = this.#flush();
  }

  async #flush() {
    const { metrics, log, db } = this.#opts;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH);
      try {
        const { stored } = await storeResults(db, batch);
        this.stored += stored.length;
        const kept = new Set(stored.map((s) => s.check.monitor_id));
        for (const outcome of batch) {
          if (!kept.has(outcome.monitorId)) continue;
          metrics.checksTotal[outcome.success ? "success" : "failure"]++;
          metrics.observeCheckDuration(outcome.durationMs / 1000);
        }
      } catch (e) {
        log.error("could not store check results", { count: batch.length, error: e });
      }
    }
    this.#flushing = null;
  }

  /** Looks for due monitors now (after a manual check or a new monitor). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = true;
    this.#tick().finally(() => {
      this.#ticking = false;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #tick() {
    // Keep the worker's queue about one batch deep beyond its concurrency.
    const room = this.#opts.concurrency * 2 - this.#inFlight.size;
    if (room <= 0 || !this.#worker) return;
    try {
      const claimed = await claimDueChecks(this.#opts.db, room);
      let maxLag = 0;
      for (const { job, lagSeconds } of claimed) {
        maxLag = Math.max(maxLag, lagSeconds);
        this.lagSamples.push(lagSeconds);
        if (this.#inFlight.has(job.monitorId)) continue; // still running from its last slot
        this.#inFlight.set(job.monitorId, job);
        this.#send({ type: "check.run", job });
      }
      if (this.lagSamples.length > 100_000) this.lagSamples.splice(0, 50_000);
      if (claimed.length) this.#opts.metrics.schedulerLagSeconds = maxLag;
      this.#backlog = claimed.length === room;
    } catch (e) {
      this.#opts.log.warn("could not claim due monitors", { error: e });
    }
  }

  /**
   * Stops claiming, waits up to `graceMs` for the checks in flight and for
   * every result being stored, then stops the worker.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    clearInterval(this.#watchdog);
    const deadline = performance.now() + graceMs;
    while (
      (this.#inFlight.size > 0 || this.#flushing !== null) &&
      performance.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.#flushing;
    this.#worker?.terminate();
    this.#worker = null;
  }
}
