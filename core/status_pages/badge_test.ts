import assert from "node:assert/strict";
import { renderBadge, uptimeColour } from "./badge.ts";

Deno.test("renderBadge() draws a label and a value, escaped", () => {
  const svg = renderBadge("uptime 24h", "99.95 %", "green");
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<text[^>]*>uptime 24h<\/text>/);
  assert.match(svg, /<text[^>]*>99\.95 %<\/text>/);
  assert.match(svg, /#2ea44f/);
  const hostile = renderBadge("<script>", "a&b", "red");
  assert.ok(
    !hostile.includes("<script>") && hostile.includes("&lt;script&gt;") &&
      hostile.includes("a&amp;b"),
  );
});

Deno.test("uptimeColour() is green, yellow, red or grey", () => {
  assert.equal(uptimeColour(100), "green");
  assert.equal(uptimeColour(99.5), "yellow");
  assert.equal(uptimeColour(90), "red");
  assert.equal(uptimeColour(null), "grey");
});
