import assert from "node:assert/strict";
import { iso, isUuid } from "./rows.ts";

Deno.test("isUuid() accepts only the canonical lower-case form", () => {
  assert.equal(isUuid("0b7e7c3e-8f0a-4c59-9d3e-3f1f6f0e2a11"), true);
  assert.equal(isUuid("0B7E7C3E-8F0A-4C59-9D3E-3F1F6F0E2A11"), false);
  assert.equal(isUuid("0b7e7c3e8f0a4c599d3e3f1f6f0e2a11"), false);
  assert.equal(isUuid("0b7e7c3e-8f0a-4c59-9d3e-3f1f6f0e2a11\n"), false);
});

Deno.test("iso() turns dates and date strings into RFC 3339, null stays null", () => {
  assert.equal(iso(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), "2026-01-02T03:04:05.000Z");
  assert.equal(iso("2026-01-02 03:04:05+00"), "2026-01-02T03:04:05.000Z");
  assert.equal(iso(null), null);
  assert.equal(iso(undefined), null);
});
