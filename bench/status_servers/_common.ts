/** Shared by the status-page benchmark's servers: the command loop driven over stdin. */
import { answerGc, stdinCommands } from "../_process.ts";

/**
 * Reads command lines from stdin and answers each with one JSON line:
 * `gc` (a full collection, so garbage does not count as viewers) and
 * `publish <changes/s> <seconds>` (calls `publish(n)` at that rate, then
 * prints `{"done": changes}`) and `count` (`{"checks": n}`, the checks stored
 * so far, when the server runs them). Returns on EOF.
 */
export async function commandLoop(
  publish: (n: number) => Promise<void> | void,
  checks: () => Promise<number> | number = () => 0,
) {
  for await (const [cmd, rateText, secondsText] of stdinCommands()) {
    if (cmd === "gc") {
      await answerGc();
    } else if (cmd === "count") {
      console.log(JSON.stringify({ checks: await checks() }));
    } else if (cmd === "publish") {
      const changes = Number(rateText) * Number(secondsText);
      const interval = 1000 / Number(rateText);
      const start = performance.now();
      for (let i = 0; i < changes; i++) {
        const wait = start + i * interval - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await publish(i);
      }
      console.log(JSON.stringify({ done: changes }));
    }
  }
}

/** The viewers' request line for a page's event stream. */
export function streamRequest(slug: string): string {
  return `GET /api/v1/public/status/${slug}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
}
