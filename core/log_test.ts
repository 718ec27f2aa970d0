import assert from "node:assert/strict";
import { createLogger, redactUrl } from "./log.ts";

Deno.test("redactUrl() hides credentials in query strings", () => {
  assert.equal(
    redactUrl("/api/v1/stream/events?token=abc.def&last_event_id=4&ticket=ff"),
    "/api/v1/stream/events?token=REDACTED&last_event_id=4&ticket=REDACTED",
  );
  assert.equal(redactUrl("/api/v1/monitors"), "/api/v1/monitors");
});

Deno.test("createLogger() writes JSON lines at or above its level, redacted", () => {
  const lines: string[] = [];
  const log = createLogger("info", (line) => lines.push(line));
  log.debug("hidden");
  log.info("shown", { url: "http://x/?token=secret", n: 1 });
  log.error("failed", { error: new Error("at http://x/?ticket=abc") });
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]);
  assert.equal(first.level, "info");
  assert.equal(first.msg, "shown");
  assert.equal(first.url, "http://x/?token=REDACTED");
  assert.ok(!lines.join("").includes("secret"));
  assert.ok(!lines.join("").includes("ticket=abc"));
});
