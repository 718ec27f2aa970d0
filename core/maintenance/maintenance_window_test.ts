import assert from "node:assert/strict";
import {
  coversMonitor,
  currentOrNext,
  inMaintenance,
  type MaintenanceWindow,
  nextMaintenanceChange,
  occurrenceAt,
} from "./maintenance_window.ts";

const at = (s: string) => Date.parse(s);
const base: MaintenanceWindow = {
  id: "w",
  title: "upgrade",
  message: null,
  monitor_ids: [],
  starts_at: "2026-12-01T02:00:00.000Z", // a Tuesday
  ends_at: "2026-12-01T04:00:00.000Z",
  recurrence: null,
  mute_notifications: true,
  exclude_from_uptime: true,
  active: false,
  created_at: "2026-11-30T00:00:00.000Z",
};

Deno.test("occurrenceAt() covers a one-off window, start included, end excluded", async (t) => {
  const cases: [string, boolean][] = [
    ["2026-12-01T01:59:59.999Z", false],
    ["2026-12-01T02:00:00.000Z", true],
    ["2026-12-01T03:59:59.999Z", true],
    ["2026-12-01T04:00:00.000Z", false],
    ["2026-12-02T03:00:00.000Z", false],
  ];
  for (const [time, covered] of cases) {
    await t.step(time, () => assert.equal(occurrenceAt(base, at(time)) !== null, covered));
  }
});

Deno.test("occurrenceAt() repeats daily and weekly, until its end", async (t) => {
  const daily = {
    ...base,
    recurrence: { freq: "daily" as const, until: "2026-12-05T00:00:00.000Z" },
  };
  const weekly = { ...base, recurrence: { freq: "weekly" as const, weekdays: [2, 4] } }; // Tue, Thu
  const overnight = {
    ...base,
    starts_at: "2026-12-01T23:00:00.000Z",
    ends_at: "2026-12-02T01:00:00.000Z",
    recurrence: { freq: "daily" as const },
  };
  const cases: [string, typeof base, string, boolean][] = [
    ["daily, the next day", daily, "2026-12-03T03:00:00.000Z", true],
    ["daily, outside the hours", daily, "2026-12-03T05:00:00.000Z", false],
    ["daily, after until", daily, "2026-12-06T03:00:00.000Z", false],
    ["weekly, a Thursday", weekly, "2026-12-03T02:30:00.000Z", true],
    ["weekly, a Wednesday", weekly, "2026-12-02T02:30:00.000Z", false],
    ["weekly, the next Tuesday", weekly, "2026-12-08T03:30:00.000Z", true],
    ["before the first start", daily, "2026-11-30T03:00:00.000Z", false],
    ["overnight, past midnight", overnight, "2026-12-05T00:30:00.000Z", true],
    ["overnight, midday", overnight, "2026-12-05T12:00:00.000Z", false],
  ];
  for (const [name, w, time, covered] of cases) {
    await t.step(name, () => assert.equal(occurrenceAt(w, at(time)) !== null, covered));
  }
});

Deno.test("inMaintenance() honours the monitors and the flags", () => {
  const only = { ...base, monitor_ids: ["m1"], exclude_from_uptime: false };
  const t = at("2026-12-01T03:00:00.000Z");
  assert.equal(coversMonitor(base, "any"), true);
  assert.equal(inMaintenance([only], "m1", t), true);
  assert.equal(inMaintenance([only], "m2", t), false);
  assert.equal(inMaintenance([only], "m1", t, "mute_notifications"), true);
  assert.equal(inMaintenance([only], "m1", t, "exclude_from_uptime"), false);
});

Deno.test("currentOrNext() finds the occurrence on now or the next within the horizon", () => {
  const week = 7 * 86_400_000;
  const now = at("2026-11-30T12:00:00.000Z");
  assert.deepEqual(currentOrNext(base, now, week), {
    start: at(base.starts_at),
    end: at(base.ends_at),
  });
  assert.equal(currentOrNext(base, now, 3_600_000), null, "beyond the horizon");
  const weekly = { ...base, recurrence: { freq: "weekly" as const } };
  const next = currentOrNext(weekly, at("2026-12-02T00:00:00.000Z"), week);
  assert.equal(new Date(next!.start).toISOString(), "2026-12-08T02:00:00.000Z");
});

Deno.test("nextMaintenanceChange() is the earliest start or end among the windows of the monitors", () => {
  const iso = (t: number | null) => t === null ? null : new Date(t).toISOString();
  const forA = { ...base, monitor_ids: ["a"] };
  const daily = {
    ...base,
    monitor_ids: ["b"],
    starts_at: "2026-11-20T03:00:00.000Z",
    ends_at: "2026-11-20T03:30:00.000Z",
    recurrence: { freq: "daily" as const },
  };
  const before = at("2026-12-01T01:00:00.000Z");
  assert.equal(iso(nextMaintenanceChange([forA], ["a"], before)), base.starts_at, "its start");
  const inside = at("2026-12-01T02:30:00.000Z");
  assert.equal(iso(nextMaintenanceChange([forA], ["a"], inside)), base.ends_at, "its end");
  assert.equal(nextMaintenanceChange([forA], ["b"], before), null, "another monitor's window");
  assert.equal(nextMaintenanceChange([forA], ["a"], at(base.ends_at)), null, "over");
  assert.equal(
    iso(nextMaintenanceChange([forA, daily], ["a", "b"], inside)),
    "2026-12-01T03:00:00.000Z",
    "the daily one starts before the one-off ends",
  );
  assert.equal(
    iso(nextMaintenanceChange([daily], ["b"], at("2026-12-01T03:10:00.000Z"))),
    "2026-12-01T03:30:00.000Z",
  );
  assert.equal(
    iso(nextMaintenanceChange([{ ...base, monitor_ids: [] }], ["z"], before)),
    base.starts_at,
    "a window for every monitor",
  );
});
