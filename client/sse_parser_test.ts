import assert from "node:assert/strict";
import { parseFrames } from "./sse_parser.ts";

Deno.test("parseFrames() reads whole frames and keeps the incomplete rest", () => {
  const { frames, rest } = parseFrames(
    'retry: 1000\n\nid: 42\nevent: monitor_check\ndata: {"a":1}\n\n: heartbeat\n\nid: 43\nda',
  );
  assert.deepEqual(frames, [
    { retry: 1000 },
    { id: "42", event: "monitor_check", data: '{"a":1}' },
    {},
  ]);
  assert.equal(rest, "id: 43\nda");
});

Deno.test("parseFrames() joins data lines, takes CRLF and fields without a space", () => {
  const { frames } = parseFrames("data:a\r\ndata: b\r\n\r\n");
  assert.deepEqual(frames, [{ data: "a\nb" }]);
});

Deno.test("parseFrames() reads the shutdown hint and ignores a bad retry", () => {
  assert.deepEqual(parseFrames("retry: 250\n: server shutting down\n\n").frames, [{ retry: 250 }]);
  assert.deepEqual(parseFrames("retry: soon\n\n").frames, [{}]);
});
