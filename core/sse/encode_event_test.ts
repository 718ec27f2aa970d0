import assert from "node:assert/strict";
import { encodeComment, encodeEvent } from "./encode_event.ts";

Deno.test("encodeEvent() writes id, event and data lines", () => {
  assert.equal(
    encodeEvent({ id: 42, event: "monitor_check", data: '{"a":1}' }),
    'id: 42\nevent: monitor_check\ndata: {"a":1}\n\n',
  );
  assert.equal(
    encodeEvent({ retry: 1000, data: "" }),
    "retry: 1000\ndata: \n\n",
  );
});

Deno.test("encodeEvent() splits multi-line data", () => {
  assert.equal(
    encodeEvent({ data: "a\nb\r\nc" }),
    "data: a\ndata: b\ndata: c\n\n",
  );
});

Deno.test("encodeEvent() refuses line breaks in id and event", () => {
  assert.throws(() => encodeEvent({ id: "1\n2", data: "" }), RangeError);
  assert.throws(() => encodeEvent({ event: "x\ry", data: "" }), RangeError);
});

Deno.test("encodeComment() keeps to one line", () => {
  assert.equal(encodeComment("heart\nbeat"), ": heart beat\n\n");
});
