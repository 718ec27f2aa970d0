import assert from "node:assert/strict";
import { hasRole, keyRole } from "./roles.ts";

Deno.test("each role includes the ones below it and no other", () => {
  assert.ok(hasRole("owner", "admin") && hasRole("admin", "editor") && hasRole("editor", "viewer"));
  assert.ok(hasRole("viewer", "viewer"));
  assert.ok(
    !hasRole("viewer", "editor") && !hasRole("editor", "admin") && !hasRole("admin", "owner"),
  );
  assert.equal(keyRole("write"), "editor");
  assert.equal(keyRole("read"), "viewer");
});
