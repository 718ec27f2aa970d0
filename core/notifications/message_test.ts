import assert from "node:assert/strict";
import { composeMessage, formatDuration, messageText } from "./message.ts";
import type { NotificationPayload } from "./payload.ts";

const opened: NotificationPayload = {
  event: "incident.opened",
  incident: {
    id: "i1",
    monitor_id: "m1",
    alert_rule_id: "r1",
    rule_name: "Down twice",
    status: "open",
    trigger_value: 2,
    opened_at: "2026-12-01T13:30:00.000Z",
    resolved_at: null,
  },
  monitor: { id: "m1", name: "Shop", url: "https://shop.example/" },
  rule: { id: "r1", name: "Down twice", condition: { type: "consecutive_failures", count: 2 } },
  tenant: { id: 1, name: "Acme" },
  error: "Connection refused by shop.example:443",
};

Deno.test("composeMessage() says what happened and where to look", () => {
  const m = composeMessage(opened, "https://status.acme.example/");
  assert.equal(m.title, "Down: Shop");
  assert.equal(m.link, "https://status.acme.example/monitors/m1");
  const text = messageText(m);
  assert.match(text, /Monitor: Shop \(https:\/\/shop\.example\/\)/);
  assert.match(text, /Rule: Down twice: 2 failed checks in a row/);
  assert.match(text, /Error: Connection refused by shop\.example:443/);
  assert.match(text, /Began: 2026-12-01 13:30 UTC/);
});

Deno.test("composeMessage() tells how long a resolved incident lasted", () => {
  const m = composeMessage({
    ...opened,
    event: "incident.resolved",
    incident: { ...opened.incident!, status: "resolved", resolved_at: "2026-12-01T13:42:05.000Z" },
  }, "http://localhost:8000");
  assert.equal(m.title, "Resolved: Shop (after 12 min 5 s)");
  assert.equal(m.tone, "up");
  assert.doesNotMatch(messageText(m), /Error:/);
});

Deno.test("composeMessage() names every monitor of a grouped burst", () => {
  const items = ["A", "B", "C"].map((name, i) => ({
    ...opened,
    monitor: { id: `m${i}`, name, url: `https://${name}.example/` },
  }));
  const m = composeMessage({ ...opened, items }, "http://x");
  assert.equal(m.title, "3 notifications: 3 down");
  assert.deepEqual(m.fields.map(([k]) => k), ["A", "B", "C"]);
});

Deno.test("formatDuration() reads like a person", () => {
  assert.equal(formatDuration(45_000), "45 s");
  assert.equal(formatDuration(725_000), "12 min 5 s");
  assert.equal(formatDuration(3 * 3_600_000 + 20 * 60_000), "3 h 20 min");
  assert.equal(formatDuration(52 * 3_600_000), "2 d 4 h");
});
