import {
  type CheckJob,
  type FromWorker,
  toWorkerSchema,
  WORKER_HEARTBEAT_MS,
} from "../core/checks/worker_protocol.ts";
import { parentPort } from "node:worker_threads";
import { runCheck } from "./run_check.ts";

/**
 * The check worker: receives claimed monitors over its port, runs them with
 * bounded concurrency, posts each outcome back, and beats every second so the
 * main thread can tell it is alive. Started as a `node:worker_threads` Worker
 * (for its own small young generation), so it speaks through `parentPort`.
 */
const port = parentPort!;
let concurrency = 200;
let allowPrivateTargets = false;
let running = 0;
const waiting: CheckJob[] = [];

function post(message: FromWorker) {
  port.postMessage(message);
}

function pump() {
  while (running < concurrency && waiting.length > 0) {
    const job = waiting.shift()!;
    running++;
    runCheck(job, { allowPrivateTargets })
      .then((outcome) => post({ type: "check.completed", outcome }))
      .finally(() => {
        running--;
        pump();
      });
  }
}

/** Handles one message from the main thread. Exported for test fixtures that wrap it. */
export function onMessage(data: unknown) {
  const parsed = toWorkerSchema.safeParse(data);
  if (!parsed.success) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "worker: bad message",
        issues: parsed.error.issues,
      }),
    );
    return;
  }
  const msg = parsed.data;
  switch (msg.type) {
    case "configure":
      concurrency = msg.concurrency;
      allowPrivateTargets = msg.allowPrivateTargets;
      pump();
      break;
    case "check.run":
      waiting.push(msg.job);
      pump();
      break;
  }
}
port.on("message", onMessage);

function beat() {
  post({ type: "heartbeat", inFlight: running + waiting.length });
}
// The first beat says the worker started; the main thread hands it work from then on.
beat();
setInterval(beat, WORKER_HEARTBEAT_MS);
