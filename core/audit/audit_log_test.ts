import assert from "node:assert/strict";
import { auditedAction } from "./audit_log.ts";

const ID = "7d444840-9dc0-11d1-b245-5ffdce74fad2";

Deno.test("auditedAction names creates, updates, deletes and sub-actions", () => {
  assert.deepEqual(auditedAction("POST", "/api/v1/monitors"), {
    targetType: "monitor",
    action: "monitor.created",
    targetId: null,
  });
  assert.deepEqual(auditedAction("PATCH", `/api/v1/alert-rules/${ID}`), {
    targetType: "alert_rule",
    action: "alert_rule.updated",
    targetId: ID,
  });
  assert.equal(auditedAction("DELETE", `/api/v1/api-keys/${ID}`)?.action, "api_key.deleted");
  assert.equal(auditedAction("POST", `/api/v1/deliveries/${ID}/retry`)?.action, "delivery.retried");
  assert.equal(
    auditedAction("POST", `/api/v1/monitors/${ID}/check`)?.action,
    "monitor.checked",
  );
  assert.deepEqual(auditedAction("POST", `/api/v1/status-pages/${ID}/reports`), {
    targetType: "status_report",
    action: "status_report.created",
    targetId: null,
  });
  assert.equal(auditedAction("PATCH", `/api/v1/members/${ID}`)?.action, "member.role_changed");
  assert.equal(auditedAction("DELETE", `/api/v1/members/${ID}`)?.action, "member.removed");
  assert.equal(auditedAction("POST", "/api/v1/invitations")?.action, "invitation.created");
  assert.equal(
    auditedAction("DELETE", `/api/v1/maintenance-windows/${ID}`)?.action,
    "maintenance_window.deleted",
  );
  assert.equal(
    auditedAction("POST", `/api/v1/monitors/${ID}/badge`)?.action,
    "monitor.badge_enabled",
  );
  assert.equal(
    auditedAction("DELETE", `/api/v1/monitors/${ID}/badge`)?.action,
    "monitor.badge_disabled",
  );
  assert.equal(auditedAction("DELETE", `/api/v1/monitors/${ID}/check`), null);
});

Deno.test("auditedAction names the account's own writes, whose target is the acting user", () => {
  assert.deepEqual(auditedAction("POST", "/api/v1/auth/password"), {
    targetType: "user",
    action: "account.password_changed",
    targetId: null,
    self: true,
  });
  assert.equal(
    auditedAction("POST", "/api/v1/auth/logout-everywhere")?.action,
    "account.signed_out_everywhere",
  );
  for (const path of ["login", "logout", "register", "switch-tenant", "accept-invitation"]) {
    assert.equal(auditedAction("POST", `/api/v1/auth/${path}`), null, path);
  }
});

Deno.test("auditedAction leaves reads, sign-in, tickets, push URLs and unknown paths alone", () => {
  assert.equal(auditedAction("GET", "/api/v1/monitors"), null);
  assert.equal(auditedAction("HEAD", "/api/v1/stream/events"), null);
  assert.equal(auditedAction("POST", "/api/v1/auth/login"), null);
  assert.equal(auditedAction("POST", "/api/v1/stream/tickets"), null);
  assert.equal(auditedAction("POST", "/api/v1/push/abc"), null);
  assert.equal(auditedAction("POST", `/api/v1/monitors/${ID}/checks`), null);
  assert.equal(auditedAction("POST", `/api/v1/monitors/${ID}/a/b`), null);
  assert.equal(auditedAction("PATCH", "/api/v1/monitors"), null);
  assert.equal(auditedAction("POST", "/healthz"), null);
});
