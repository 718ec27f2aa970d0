import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { Mailer } from "./mailer.ts";
import {
  claimDeliveries,
  type ClaimedDelivery,
  enqueueReminders,
  queueDepth,
  recordAttempt,
} from "./outbox.ts";
import { RETRY_SCHEDULE_MS, type SendResult } from "./retry_policy.ts";
import { SENDERS } from "./senders/mod.ts";

/** Options of {@linkcode NotificationDispatcher}. */
export interface DispatcherOptions {
  db: Database;
  log: Logger;
  metrics: Metrics;
  /** Links in messages point here. */
  publicUrl: string;
  mailer: Mailer | null;
  /** Checks a URL against the SSRF policy before sending; throws with the reason. */
  checkUrl: (url: string) => Promise<void>;
  /** How often to look for due deliveries. @default 1000 */
  pollMs?: number;
  /** How long a claim holds. @default 30_000 */
  leaseMs?: number;
  /** One attempt's timeout. @default 10_000 */
  timeoutMs?: number;
  /** Attempts in flight at once in this instance. @default 32 */
  concurrency?: number;
  /** Waits between attempts. @default RETRY_SCHEDULE_MS */
  retrySchedule?: readonly number[];
  /** How long a reminder "minute" is (tests shorten it). @default 60_000 */
  reminderMinuteMs?: number;
  /** The grouping window of human channels. @default 10_000 */
  burstWindowMs?: number;
}

/**
 * Sends notifications from the outbox: on every instance, it claims due
 * deliveries (`FOR UPDATE SKIP LOCKED`, with a lease), plans reminders, sends
 * each with its channel's sender under a timeout, and records the outcome.
 * Nothing is lost: a row stays in the outbox until it is delivered or has
 * failed for good, and a row whose sender died is sent again, same id, when
 * its lease ends.
 */
export class NotificationDispatcher {
  #opts: Required<DispatcherOptions>;
  #timer: ReturnType<typeof setInterval> | undefined;
  #depthTimer: ReturnType<typeof setInterval> | undefined;
  #running = false;
  #again = false;
  #stopped = true;
  #inFlight = new Set<Promise<void>>();
  #depth = 0;
  /** Attempts finished by this instance, for tests and benchmarks. */
  attempts = 0;

  constructor(opts: DispatcherOptions) {
    this.#opts = {
      pollMs: 1000,
      leaseMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 32,
      retrySchedule: RETRY_SCHEDULE_MS,
      reminderMinuteMs: 60_000,
      burstWindowMs: 10_000,
      ...opts,
    };
    opts.metrics.gauge(
      "vinsight_notification_queue_depth",
      "Notifications waiting to be delivered (pending, grouped ones counted once).",
      () => this.#depth,
    );
  }

  /** Starts polling. */
  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.#opts.pollMs);
    this.#depthTimer = setInterval(() => this.#readDepth(), 5000);
    Deno.unrefTimer(this.#depthTimer);
    this.wake();
    this.#readDepth();
  }

  async #readDepth() {
    try {
      this.#depth = await queueDepth(this.#opts.db);
    } catch {
      // the next reading will do
    }
  }

  /** Looks for due deliveries now (an incident opened or resolved somewhere). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.#tick().finally(() => {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #tick() {
    const { db, log } = this.#opts;
    try {
      await enqueueReminders(db, this.#opts.reminderMinuteMs);
    } catch (e) {
      log.warn("could not plan reminders", { error: e });
    }
    const room = this.#opts.concurrency - this.#inFlight.size;
    if (room <= 0) return;
    let claimed: ClaimedDelivery[];
    try {
      claimed = await claimDeliveries(db, {
        limit: room,
        leaseMs: this.#opts.leaseMs,
        windowMs: this.#opts.burstWindowMs,
      });
    } catch (e) {
      log.warn("could not claim deliveries", { error: e });
      return;
    }
    for (const delivery of claimed) {
      const p: Promise<void> = this.#deliver(delivery).finally(() => {
        this.#inFlight.delete(p);
        if (!this.#stopped) this.wake();
      });
      this.#inFlight.add(p);
    }
    // A full claim means more may be due.
    if (claimed.length === room) this.#again = true;
  }

  async #send(delivery: ClaimedDelivery): Promise<SendResult> {
    const { channel } = delivery;
    if (!channel.enabled) {
      return { ok: false, retryable: false, status: null, error: "the channel is disabled" };
    }
    for (const field of ["url", "webhook_url", "api_url", "server_url", "events_url"]) {
      const url = channel.config[field];
      if (typeof url !== "string") continue;
      try {
        await this.#opts.checkUrl(url);
      } catch (e) {
        return { ok: false, retryable: false, status: null, error: (e as Error).message };
      }
    }
    try {
      return await SENDERS[channel.type]({
        delivery,
        channel,
        publicUrl: this.#opts.publicUrl,
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
        mailer: this.#opts.mailer,
      });
    } catch (e) {
      return {
        ok: false,
        retryable: true,
        status: null,
        error: `could not send: ${(e as Error).message}`,
      };
    }
  }

  async #deliver(delivery: ClaimedDelivery) {
    const { db, log, metrics } = this.#opts;
    const result = await this.#send(delivery);
    try {
      const status = await recordAttempt(db, delivery, result, {
        schedule: this.#opts.retrySchedule,
      });
      this.attempts++;
      metrics.countNotification(
        delivery.channel.type,
        status === "delivered" ? "delivered" : status === "failed" ? "failed" : "retry",
      );
      if (!result.ok) {
        log.warn("notification not delivered", {
          delivery_id: delivery.id,
          channel_id: delivery.channel.id,
          type: delivery.channel.type,
          error: result.error,
          status,
        });
      }
    } catch (e) {
      // The lease ends and the row is sent again, with the same id.
      log.error("could not record a notification attempt", { delivery_id: delivery.id, error: e });
    }
  }

  /** Stops claiming and waits up to `graceMs` for the attempts in flight. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    clearInterval(this.#depthTimer);
    const all = Promise.all([...this.#inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, graceMs))]);
  }
}
