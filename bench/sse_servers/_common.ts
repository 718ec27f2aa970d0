/** Shared by the benchmark's SSE servers: the payload and the publish loop driven over stdin. */

import type { MonitorCheckData } from "../../core/events/envelope.ts";
import { answerGc, stdinCommands } from "../_process.ts";
import { sampleCheck as sample } from "./sample.mjs";

/** The `monitor_check` data every server publishes (sample.mjs, shared with the Node.js peer). */
export const sampleCheck: () => MonitorCheckData = sample;

/**
 * Reads `publish <events/s> <seconds> <hot share>` lines from stdin. Each
 * tick publishes one event to tenant 0 (the hot one) and one to a random
 * other tenant. Prints `done <events>` when a burst ends; exits on EOF.
 */
export async function commandLoop(
  publish: (tenant: number) => Promise<void> | void,
  tenants: number,
) {
  for await (const [cmd, rateText, secondsText] of stdinCommands()) {
    if (cmd === "gc") {
      await answerGc();
      continue;
    }
    if (cmd !== "publish") continue;
    const ticks = Number(rateText) * Number(secondsText) / 2;
    const interval = 1000 / (Number(rateText) / 2);
    const start = performance.now();
    let events = 0;
    const perTenant = new Array(tenants).fill(0);
    for (let i = 0; i < ticks; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const other = 1 + Math.floor(Math.random() * (tenants - 1));
      await publish(0);
      await publish(other);
      perTenant[0]++;
      perTenant[other]++;
      events += 2;
    }
    console.log(JSON.stringify({ done: events, perTenant }));
  }
}
