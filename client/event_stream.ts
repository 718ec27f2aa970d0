import { batch, signal } from "@preact/signals";
import { parseFrames } from "./sse_parser.ts";
import type { Check, EventType, Incident } from "./types.ts";

/** The state of the dashboard's connection to the event stream. */
export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

/** The latest check per monitor id, as events arrive. */
export const latestMonitorChecks = signal<Map<string, Check & { monitor_name?: string }>>(
  new Map(),
);
/** Incidents by id, newest state from `incident_created` / `incident_resolved` events. */
export const latestIncidents = signal<Map<string, Incident>>(new Map());
/** The connection status shown by the badge. */
export const connectionStatus = signal<ConnectionStatus>("offline");
/** Incremented when islands must reload their state over REST (after a reset or a long outage). */
export const reloadGeneration = signal(0);
/** Every monitor_check in arrival order (bounded), for charts. */
export const checkFeed = signal<(Check & { id: number })[]>([]);

const MAX_ATTEMPTS = 10;
const FEED_LIMIT = 500;

let controller: AbortController | null = null;
let lastEventId: string | null = null;
/** Whether the first stream has taken the page's own event id. */
let seeded = false;
let attempts = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let users = 0;
/** The server's last `retry:` hint: how soon to come back after the stream ends. */
let serverRetryMs: number | null = null;

/** The backoff before reconnect attempt `n` (1-based): 1 s, 2 s, 4 s … 30 s, with ±20 % jitter. */
export function backoffMs(n: number, random = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** (n - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * The wait before reconnect attempt `n`: the first attempt after a stream that
 * was open honours the server's `retry:` (1 s normally, 250 ms when it shuts
 * down so clients move to another instance at once); later attempts back off.
 */
export function reconnectDelayMs(
  n: number,
  serverRetry: number | null,
  random = Math.random,
): number {
  if (n === 1 && serverRetry !== null) return serverRetry;
  return backoffMs(n, random);
}

/** The current connection status. */
export function getConnectionStatus(): ConnectionStatus {
  return connectionStatus.value;
}

function applyEvent(type: EventType | "reset", id: string, data: string) {
  if (type === "reset") {
    reloadGeneration.value++;
    return;
  }
  const envelope = JSON.parse(data) as { type: EventType; data: Record<string, unknown> };
  const payload = envelope.data;
  batch(() => {
    if (type === "monitor_check") {
      const check = payload as unknown as Check & { monitor_name: string };
      const next = new Map(latestMonitorChecks.value);
      next.set(check.monitor_id, check);
      latestMonitorChecks.value = next;
      const feed = [...checkFeed.value, { ...check, id: Number(id) }];
      checkFeed.value = feed.length > FEED_LIMIT ? feed.slice(-FEED_LIMIT) : feed;
    } else {
      const p = payload as Record<string, string | number | null>;
      const incidents = new Map(latestIncidents.value);
      const known = incidents.get(p.incident_id as string);
      incidents.set(p.incident_id as string, {
        id: p.incident_id as string,
        monitor_id: p.monitor_id as string,
        alert_rule_id: (p.alert_rule_id as string | null) ?? null,
        rule_name: p.rule_name as string,
        status: type === "incident_created" ? "open" : "resolved",
        trigger_value: (p.trigger_value as number | undefined) ?? known?.trigger_value ?? null,
        opened_at: (p.opened_at as string | undefined) ?? known?.opened_at ??
          new Date().toISOString(),
        resolved_at: (p.resolved_at as string | undefined) ?? null,
      });
      latestIncidents.value = incidents;
    }
  });
}

async function readStream(res: Response, signal: AbortSignal) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (!signal.aborted) {
    const { done, value } = await reader.read();
    if (done) return;
    const { frames, rest } = parseFrames(buffer + value);
    buffer = rest;
    for (const frame of frames) {
      if (frame.retry !== undefined) serverRetryMs = frame.retry;
      if (frame.id) lastEventId = frame.id;
      if (frame.event) {
        applyEvent(frame.event as EventType | "reset", frame.id ?? "", frame.data ?? "");
      }
    }
  }
}

/**
 * The tenant's last event id when the server rendered this page
 * (`<meta name="vi-events-after">`): the first stream asks for what came
 * after it, so a check stored between the render and the connection is not
 * missed.
 */
function renderedAfter(): string | null {
  if (typeof document === "undefined") return null;
  const id = document.querySelector<HTMLMetaElement>('meta[name="vi-events-after"]')?.content;
  return id && /^\d{1,15}$/.test(id) ? id : null;
}

async function open() {
  if (!seeded) {
    seeded = true;
    lastEventId ??= renderedAfter();
  }
  controller?.abort();
  const c = new AbortController();
  controller = c;
  connectionStatus.value = attempts === 0 ? "connecting" : "reconnecting";
  try {
    const headers: Record<string, string> = {};
    if (lastEventId) headers["Last-Event-ID"] = lastEventId;
    const res = await fetch("/api/v1/stream/events", {
      headers,
      signal: c.signal,
      credentials: "same-origin",
    });
    if (res.status === 401) {
      location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
      return;
    }
    if (!res.ok || !res.body) {
      serverRetryMs = null; // refused: back off rather than come straight back
      throw new Error(`stream answered ${res.status}`);
    }
    if (attempts > 0 && !lastEventId) reloadGeneration.value++; // nothing to resume from
    attempts = 0;
    connectionStatus.value = "connected";
    await readStream(res, c.signal);
  } catch {
    // network error or abort: handled below
  }
  if (c.signal.aborted || controller !== c) return;
  scheduleReconnect();
}

function scheduleReconnect() {
  attempts++;
  if (attempts > MAX_ATTEMPTS) {
    connectionStatus.value = "offline";
    return;
  }
  connectionStatus.value = "reconnecting";
  retryTimer = setTimeout(open, reconnectDelayMs(attempts, serverRetryMs));
}

/**
 * Connects the dashboard to the event stream (cookie-authenticated), or counts
 * one more user of an open connection. Reconnects with exponential backoff
 * (1 s → 30 s with jitter, at most 10 attempts) and resumes with Last-Event-ID.
 */
export function connectEventStream(): void {
  users++;
  watchPageLifecycle();
  if (controller && !controller.signal.aborted) return;
  attempts = 0;
  clearTimeout(retryTimer);
  open();
}

let watching = false;

/**
 * Closes the stream when the page is hidden for navigation (it may be kept in
 * the back/forward cache, where an open stream would hold one of the
 * browser's few connections to this server), and resumes it, from the last
 * event id, when the page is shown again.
 */
function watchPageLifecycle() {
  if (watching || typeof addEventListener !== "function") return;
  watching = true;
  addEventListener("pagehide", () => {
    clearTimeout(retryTimer);
    controller?.abort();
    controller = null;
  });
  addEventListener("pageshow", (e) => {
    if ((e as PageTransitionEvent).persisted && users > 0) retryEventStream();
  });
}

/** Releases one user; the connection closes when the last one leaves. */
export function disconnectEventStream(): void {
  users = Math.max(0, users - 1);
  if (users > 0) return;
  clearTimeout(retryTimer);
  controller?.abort();
  controller = null;
  connectionStatus.value = "offline";
}

/** After "offline": try again now, with a fresh budget of attempts. */
export function retryEventStream(): void {
  attempts = 0;
  clearTimeout(retryTimer);
  open();
}
