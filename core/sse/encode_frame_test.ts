import assert from "node:assert/strict";
import {
  encodeFrame,
  encodeStoredEvent,
  HEARTBEAT_FRAME,
  OPENING_FRAME,
  RESET_FRAME,
  SHUTDOWN_FRAME,
} from "./encode_frame.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("encodeFrame() writes id, event and data lines", () => {
  assert.equal(
    text(encodeFrame({ id: 42, event: "monitor_check", data: '{"a":1}' })),
    'id: 42\nevent: monitor_check\ndata: {"a":1}\n\n',
  );
  assert.equal(text(encodeFrame({ retry: 1000, data: "" })), "retry: 1000\ndata: \n\n");
});

Deno.test("encodeFrame() splits multi-line data", () => {
  assert.equal(text(encodeFrame({ data: "a\nb\r\nc" })), "data: a\ndata: b\ndata: c\n\n");
});

Deno.test("encodeFrame() refuses line breaks in id and event, and a bad retry", () => {
  assert.throws(() => encodeFrame({ id: "1\n2", data: "" }), RangeError);
  assert.throws(() => encodeFrame({ event: "x\ry", data: "" }), RangeError);
  assert.throws(() => encodeFrame({ retry: -1 }), RangeError);
});

Deno.test("encodeFrame() keeps a comment to one line", () => {
  assert.equal(text(encodeFrame({ comment: "heart\nbeat" })), ": heart beat\n\n");
});

Deno.test("encodeFrame() gives the fixed frames of API.md", () => {
  assert.equal(text(OPENING_FRAME), "retry: 1000\n\n");
  assert.equal(text(HEARTBEAT_FRAME), ": heartbeat\n\n");
  assert.equal(text(RESET_FRAME), "event: reset\ndata: {}\n\n");
  assert.equal(text(SHUTDOWN_FRAME), "retry: 250\n: server shutting down\n\n");
});

Deno.test("encodeStoredEvent() sends the envelope as data", () => {
  assert.equal(
    text(encodeStoredEvent({
      id: 7,
      tenant_id: 3,
      type: "incident_resolved",
      data: {
        incident_id: "i",
        monitor_id: "m",
        alert_rule_id: null,
        rule_name: "r",
        status: "resolved",
        resolved_at: "2026-12-01T00:00:00.000Z",
      },
    })),
    'id: 7\nevent: incident_resolved\ndata: {"type":"incident_resolved","data":{"incident_id":"i","monitor_id":"m","alert_rule_id":null,"rule_name":"r","status":"resolved","resolved_at":"2026-12-01T00:00:00.000Z"},"tenant_id":3}\n\n',
  );
});
