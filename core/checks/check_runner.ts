import { Worker } from "node:worker_threads";
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { claimDueChecks, missedPushOutcome } from "./schedule.ts";
import { ResultWriter } from "./result_writer.ts";
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
  /** The worker module (`worker/main.ts`), handed in by `server.ts`. */
  workerUrl: URL;
  /** Outcomes kept for retry while the database refuses them. @default 200_000 */
  maxBacklog?: number;
  /** First wait before restarting a crashed worker; doubles to 30 s. @default 1000 */
  restartDelayMs?: number;
}

/**
 * The check worker's young generation, in MB. The process runs with V8's own
 * young generation, which the serving thread's fan-outs need (docs/BENCHMARKS.md,
 * status pages); a worker's is set on its own, and the check worker's garbage
 * is short-lived, so a small one keeps 10,000 monitors' memory low. V8 honours
 * it only while no `--max-semi-space-size` flag is given.
 */
const WORKER_YOUNG_GENERATION_MB = 6;
/** The longest wait between worker restarts. */
const MAX_RESTART_DELAY_MS = 30_000;
/** A job in flight during this many worker crashes is stored as failed, not resent. */
const MAX_CRASHES_PER_JOB = 2;
/** The error message of a check that crashed the worker. */
export const CRASHED_CHECK_MESSAGE = "the check crashed the check worker";

/**
 * Owns the check worker and the schedule on the main thread: claims due
 * monitors, hands them to the worker, stores each outcome with its events,
 * and replaces a worker that crashed or went silent, handing it again the
 * checks the old one held.
 */
export class CheckRunner {
  #opts: Required<CheckRunnerOptions>;
  #worker: Worker | null = null;
  #lastBeat = 0;
  /** The current worker has spoken since it started. */
  #alive = false;
  #aliveSince = 0;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #restartDelay: number;
  #inFlight = new Map<string, CheckJob>();
  /** How many worker crashes each job in flight has been part of. */
  #crashes = new Map<string, number>();
  /** Suspects of a crash not yet handed to the new worker: they go one at a time. */
  #held = new Set<string>();
  /** The suspect handed over alone, awaiting its outcome. */
  #trial: string | null = null;
  #writer: ResultWriter;
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
  get stored(): number {
    return this.#writer.stored;
  }

  constructor(opts: CheckRunnerOptions) {
    this.#opts = {
      concurrency: 200,
      allowPrivateTargets: false,
      pollMs: 250,
      heartbeatTimeoutMs: 5000,
      maxBacklog: 200_000,
      restartDelayMs: 1000,
      ...opts,
    };
    this.#restartDelay = this.#opts.restartDelayMs;
    this.#writer = new ResultWriter({
      db: opts.db,
      log: opts.log,
      metrics: opts.metrics,
      maxBacklog: this.#opts.maxBacklog,
    });
  }

  /**
   * Whether checks run: the worker started and beats. False while it is being
   * restarted after a crash or silence, and while it cannot start at all.
   */
  get ready(): boolean {
    return !this.#stopped && this.#worker !== null && this.#alive &&
      performance.now() - this.#lastBeat < this.#opts.heartbeatTimeoutMs;
  }

  /** Resolves once the worker has started (its first beat), or after `timeoutMs`. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.ready && !this.#stopped && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.ready;
  }

  /** Outcomes waiting to be stored. */
  get backlog(): number {
    return this.#writer.backlog;
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
      if (this.#worker && performance.now() - this.#lastBeat > this.#opts.heartbeatTimeoutMs) {
        this.#opts.log.error("check worker stopped answering; restarting it");
        this.#restart(false);
      }
    }, WORKER_HEARTBEAT_MS);
    this.wake();
  }

  #send(message: ToWorker) {
    this.#worker?.postMessage(message);
  }

  #spawn() {
    // A `node:worker_threads` Worker, because only it takes a young generation of its own.
    const worker = new Worker(this.#opts.workerUrl, {
      name: "check-worker",
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    this.#worker = worker;
    this.#alive = false;
    this.#lastBeat = performance.now();
    worker.on("message", (data) => this.#onMessage(worker, data));
    worker.on("error", (e: Error) => {
      if (this.#worker !== worker) return;
      this.#opts.log.error("check worker crashed; restarting it", {
        error: e.message,
        restart_in_ms: this.#restartDelay,
      });
      this.#restart(true);
    });
    worker.on("messageerror", () => {
      this.#opts.log.error("check worker sent an unreadable message");
    });
    this.#send({
      type: "configure",
      concurrency: this.#opts.concurrency,
      allowPrivateTargets: this.#opts.allowPrivateTargets,
    });
    for (const job of this.#inFlight.values()) {
      if (!this.#held.has(job.monitorId)) this.#send({ type: "check.run", job });
    }
    this.#tryNextSuspect();
  }

  /** Hands the next crash suspect to the worker, alone among the suspects. */
  #tryNextSuspect() {
    if (this.#trial !== null || !this.#worker) return;
    const next = this.#held.values().next();
    if (next.done) return;
    this.#held.delete(next.value);
    this.#trial = next.value;
    const job = this.#inFlight.get(next.value);
    if (job) this.#send({ type: "check.run", job });
    else {
      this.#trial = null;
      this.#tryNextSuspect();
    }
  }

  /**
   * Ends the current worker and starts another after a delay that doubles
   * with each restart that follows a short life (1 s up to 30 s), so a worker
   * that cannot start does not become a crash loop. After a crash, the jobs
   * it held are suspects, handed to the next worker one at a time so that an
   * innocent job is not caught in the next crash; one that was in flight
   * during {@linkcode MAX_CRASHES_PER_JOB} crashes is stored as a failed
   * check instead of being handed over again.
   */
  #restart(crashed: boolean) {
    this.#worker?.terminate();
    this.#worker = null;
    this.#alive = false;
    this.restarts++;
    this.#opts.metrics.checkWorkerRestarts++;
    if (crashed) {
      this.#trial = null;
      for (const [id, job] of this.#inFlight) {
        if (this.#held.has(id)) continue; // was not handed to the worker that crashed
        const n = (this.#crashes.get(id) ?? 0) + 1;
        if (n < MAX_CRASHES_PER_JOB) {
          this.#crashes.set(id, n);
          this.#held.add(id);
          continue;
        }
        this.#inFlight.delete(id);
        this.#crashes.delete(id);
        this.#opts.log.error("a check crashed the worker twice; storing it as failed", {
          monitor_id: id,
        });
        this.#writer.write(crashedOutcome(job));
      }
    }
    if (this.#stopped) return;
    const delay = this.#restartDelay;
    this.#restartDelay = Math.min(this.#restartDelay * 2, MAX_RESTART_DELAY_MS);
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => {
      if (!this.#stopped) this.#spawn();
    }, delay);
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
        if (!this.#alive) {
          this.#alive = true;
          this.#aliveSince = performance.now();
          this.wake();
        }
        // A worker that has run for a while earns a quick restart next time.
        if (performance.now() - this.#aliveSince > MAX_RESTART_DELAY_MS) {
          this.#restartDelay = this.#opts.restartDelayMs;
        }
        break;
      case "check.completed":
        this.#lastBeat = performance.now();
        this.#crashes.delete(msg.outcome.monitorId);
        this.#held.delete(msg.outcome.monitorId);
        if (this.#trial === msg.outcome.monitorId) {
          this.#trial = null;
          this.#tryNextSuspect();
        }
        if (!this.#inFlight.delete(msg.outcome.monitorId)) return; // duplicate after a restart
        this.#writer.write(msg.outcome);
        // With monitors already overdue, claim the next ones once the worker has room for a
        // batch (it still holds more than its concurrency); otherwise the poll finds them.
        if (this.#backlog && this.#inFlight.size <= this.#opts.concurrency * 1.5) this.wake();
        break;
    }
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
    if (room <= 0 || !this.#worker || !this.#alive) return;
    try {
      const claimed = await claimDueChecks(this.#opts.db, room);
      let maxLag = 0;
      for (const { job, lagSeconds } of claimed) {
        maxLag = Math.max(maxLag, lagSeconds);
        this.lagSamples.push(lagSeconds);
        if (job.kind === "push") {
          this.#writer.write(missedPushOutcome(job));
          continue;
        }
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
    clearTimeout(this.#restartTimer);
    const deadline = performance.now() + graceMs;
    while ((this.#inFlight.size > 0 || this.#writer.busy) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.#writer.drain(deadline);
    this.#worker?.terminate();
    this.#worker = null;
  }
}

/** The failed check stored for a job that crashed the worker twice. */
function crashedOutcome(job: CheckJob): CheckOutcome {
  return {
    monitorId: job.monitorId,
    success: false,
    statusCode: null,
    responseTimeMs: null,
    errorMessage: CRASHED_CHECK_MESSAGE,
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: new Date().toISOString(),
    durationMs: 0,
  };
}
