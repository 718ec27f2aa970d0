/**
 * Notifications end to end: channels of every type against real receivers on
 * loopback (HTTP for webhook, Slack, Discord, Telegram, ntfy and PagerDuty; a
 * real SMTP server for email), the Standard Webhooks signature checked by
 * the reference library, retries on schedule, grouping, reminders, and two
 * instances sharing one outbox on PostgreSQL.
 */
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { storeResults } from "../core/checks/store_results.ts";
import type { CheckOutcome } from "../core/checks/worker_protocol.ts";
import { openPostgres } from "../core/db/postgres.ts";
import { claimDeliveries } from "../core/notifications/outbox.ts";
import {
  api,
  BACKENDS,
  eventually,
  postgresBackend,
  registerTenant,
  startTestServer,
  TEST_DATABASE_URL,
} from "./_helpers.ts";
import { startMailReceiver, startReceiver } from "./_receivers.ts";
import { startTarget } from "./_targets.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };
const PUBLIC_URL = "https://status.example.test";
/** Quick clocks: retries after 300 ms, 600 ms …; a reminder "minute" of 100 ms; 1 s bursts. */
const FAST = {
  dispatcher: {
    pollMs: 100,
    retrySchedule: [300, 600, 1200, 2400],
    reminderMinuteMs: 100,
    burstWindowMs: 1000,
    timeoutMs: 500,
  },
};

function failing(monitorId: string): CheckOutcome {
  return {
    monitorId,
    success: false,
    statusCode: 500,
    responseTimeMs: 12,
    errorMessage: "Unexpected status 500 (expected 200-399)",
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: new Date().toISOString(),
    durationMs: 12,
  };
}

const json = (body: string) => JSON.parse(body);

for (const backend of BACKENDS) {
  Deno.test({
    name:
      `notifications (${backend.name}): every channel type says what happened, signed and on time`,
    ...integration,
    async fn(t) {
      const receiver = startReceiver();
      const smtp = await startMailReceiver();
      const target = startTarget();
      target.status = 500;
      const server = await startTestServer(backend, {
        PUBLIC_URL,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}?requireTLS=true&tls.rejectUnauthorized=false`,
        SMTP_FROM: "V-Insight <alerts@example.test>",
      }, FAST);
      const base = server.url;
      try {
        const a = await registerTenant(base, "Acme");
        const make = async (name: string, type: string, config: Record<string, unknown>) => {
          const res = await api(base, "POST", "/api/v1/notification-channels", {
            token: a.token,
            body: { name, type, config },
          });
          assert.equal(res.status, 201, `${type}: ${res.text}`);
          return res.body;
        };
        const r = receiver.url;
        const channels = {
          webhook: await make("Hook", "webhook", { url: `${r}/hook` }),
          slack: await make("Slack", "slack", { webhook_url: `${r}/slack` }),
          discord: await make("Discord", "discord", { webhook_url: `${r}/discord` }),
          telegram: await make("Telegram", "telegram", {
            bot_token: "123:secret-token",
            chat_id: "-100200",
            api_url: r,
          }),
          ntfy: await make("ntfy", "ntfy", { server_url: r, topic: "alerts", token: "tk_1" }),
          pagerduty: await make("PagerDuty", "pagerduty", {
            routing_key: "R0UTING",
            events_url: `${r}/pd`,
          }),
          email: await make("Mail", "email", { to: ["ops@example.test"] }),
        };

        await t.step("secrets are answered masked; the webhook's secret once", async () => {
          assert.match(channels.webhook.secret, /^whsec_/);
          assert.equal(channels.slack.config.webhook_url, "********");
          assert.equal(channels.telegram.config.bot_token, "********");
          assert.equal(channels.ntfy.config.token, "********");
          assert.equal(channels.pagerduty.config.routing_key, "********");
          const list = await api(base, "GET", "/api/v1/notification-channels", { token: a.token });
          assert.equal(list.body.notification_channels.length, 7);
          assert.ok(!list.text.includes("secret-token") && !list.text.includes("whsec_"));
          // A PATCH that sends the mask keeps the stored value.
          const patched = await api(
            base,
            "PATCH",
            `/api/v1/notification-channels/${channels.slack.id}`,
            { token: a.token, body: { name: "Slack #ops", config: { webhook_url: "********" } } },
          );
          assert.equal(patched.status, 200, patched.text);
          assert.equal(patched.body.name, "Slack #ops");
        });

        await t.step("bad configs are 400 naming the field", async () => {
          const bad = await api(base, "POST", "/api/v1/notification-channels", {
            token: a.token,
            body: { name: "x", type: "ntfy", config: { topic: "has space" } },
          });
          assert.equal(bad.status, 400);
          assert.equal(bad.body.error.details[0].path, "config.topic");
          const unknown = await api(base, "POST", "/api/v1/notification-channels", {
            token: a.token,
            body: { name: "x", type: "sms", config: {} },
          });
          assert.equal(unknown.status, 400);
          assert.equal(unknown.body.error.details[0].path, "type");
        });

        const monitor = await api(base, "POST", "/api/v1/monitors", {
          token: a.token,
          body: { name: "Shop", url: `${target.url}/switch`, interval_seconds: 3600 },
        });
        const rule = await api(base, "POST", "/api/v1/alert-rules", {
          token: a.token,
          body: {
            name: "Down once",
            condition: { type: "consecutive_failures", count: 1 },
            channel_ids: Object.values(channels).map((c) => c.id),
          },
        });
        assert.equal(rule.status, 201, rule.text);
        assert.equal(rule.body.channel_ids.length, 7);
        const monitorLink = `${PUBLIC_URL}/monitors/${monitor.body.id}`;

        await t.step("an incident opening reaches every channel", async () => {
          await eventually(
            () => receiver.requests.length >= 6 && smtp.mails.length >= 1,
            15_000,
            "six HTTP notifications and a mail",
          );
          const incidents = await api(base, "GET", "/api/v1/incidents", { token: a.token });
          const incidentId = incidents.body.incidents[0].id;

          const [hook] = receiver.on("/hook");
          const verified = new Webhook(channels.webhook.secret).verify(hook.body, {
            "webhook-id": hook.headers.get("webhook-id")!,
            "webhook-timestamp": hook.headers.get("webhook-timestamp")!,
            "webhook-signature": hook.headers.get("webhook-signature")!,
          }) as { type: string; data: Record<string, Record<string, unknown>> & { url: string } };
          assert.equal(verified.type, "incident.opened");
          assert.equal(verified.data.incident.id, incidentId);
          assert.deepEqual(verified.data.monitor, {
            id: monitor.body.id,
            name: "Shop",
            url: `${target.url}/switch`,
          });
          assert.equal(verified.data.tenant.id, a.tenantId);
          assert.equal(verified.data.url, monitorLink);

          const slack = json(receiver.on("/slack")[0].body);
          assert.match(slack.text, /Down: Shop/);
          assert.match(slack.text, /Unexpected status 500/);
          assert.ok(slack.text.includes(monitorLink));
          assert.ok(Array.isArray(slack.blocks) && slack.blocks.length >= 2);

          const discord = json(receiver.on("/discord")[0].body);
          assert.equal(discord.embeds[0].title, "Down: Shop");
          assert.equal(discord.embeds[0].url, monitorLink);
          assert.ok(discord.embeds[0].fields.some((f: { name: string }) => f.name === "Rule"));

          const telegram = receiver.on("/bot123:secret-token/sendMessage")[0];
          assert.ok(telegram, "telegram posted to /bot<token>/sendMessage");
          assert.equal(json(telegram.body).chat_id, "-100200");
          assert.ok(json(telegram.body).text.includes(monitorLink));

          const ntfy = receiver.on("/alerts")[0];
          assert.equal(ntfy.headers.get("title"), "Down: Shop");
          assert.equal(ntfy.headers.get("priority"), "4");
          assert.equal(ntfy.headers.get("tags"), "rotating_light");
          assert.equal(ntfy.headers.get("authorization"), "Bearer tk_1");
          assert.match(ntfy.body, /Monitor: Shop/);

          const pd = json(receiver.on("/pd")[0].body);
          assert.equal(pd.event_action, "trigger");
          assert.equal(pd.dedup_key, incidentId);
          assert.equal(pd.routing_key, "R0UTING");
          assert.equal(pd.payload.severity, "critical");

          const mail = smtp.mails[0];
          assert.equal(mail.secure, true, "the mail went over STARTTLS");
          assert.deepEqual(mail.to, ["ops@example.test"]);
          assert.match(mail.raw, /^From: "?V-Insight"? <alerts@example\.test>/m);
          assert.match(mail.raw, /^Subject: Down: Shop/m);
          assert.match(mail.raw, /Content-Type: multipart\/alternative/);
          assert.match(mail.raw, /Content-Type: text\/plain/);
          assert.match(mail.raw, /Content-Type: text\/html/);
          assert.ok(
            mail.raw.replace(/=\r?\n/g, "").includes(monitorLink),
            "the mail links the monitor",
          );
        });

        await t.step("resolving it tells every channel, and how long it lasted", async () => {
          const before = receiver.requests.length;
          target.status = 200;
          await api(base, "POST", `/api/v1/monitors/${monitor.body.id}/check`, { token: a.token });
          await eventually(
            () => receiver.requests.length >= before + 6 && smtp.mails.length >= 2,
            15_000,
            "six more notifications and a mail",
          );
          const hook = receiver.on("/hook")[1];
          assert.equal(json(hook.body).type, "incident.resolved");
          assert.notEqual(
            hook.headers.get("webhook-id"),
            receiver.on("/hook")[0].headers.get("webhook-id"),
          );
          assert.match(json(receiver.on("/slack")[1].body).text, /Resolved: Shop \(after /);
          const pd = json(receiver.on("/pd")[1].body);
          assert.equal(pd.event_action, "resolve");
          assert.equal(pd.dedup_key, json(receiver.on("/pd")[0].body).dedup_key);
          assert.match(smtp.mails[1].raw, /^Subject: Resolved: Shop/m);
        });

        await t.step("deliveries are listed with their attempts", async () => {
          const res = await api(
            base,
            "GET",
            `/api/v1/notification-channels/${channels.webhook.id}/deliveries`,
            { token: a.token },
          );
          assert.equal(res.status, 200);
          assert.deepEqual(
            res.body.deliveries.map((d: { kind: string; status: string; attempts: number }) => [
              d.kind,
              d.status,
              d.attempts,
            ]),
            [["incident_resolved", "delivered", 1], ["incident_opened", "delivered", 1]],
          );
          assert.equal(
            res.body.deliveries[0].id,
            receiver.on("/hook")[1].headers.get("webhook-id"),
          );
        });

        await t.step("a test notification is sent and shown", async () => {
          const before = receiver.on("/discord").length;
          const res = await api(
            base,
            "POST",
            `/api/v1/notification-channels/${channels.discord.id}/test`,
            { token: a.token },
          );
          assert.equal(res.status, 202);
          await eventually(() => receiver.on("/discord").length > before, 5000, "the test");
          const body = json(receiver.on("/discord").at(-1)!.body);
          assert.match(body.embeds[0].title, /^Test notification for Acme/);
          const list = await api(
            base,
            "GET",
            `/api/v1/notification-channels/${channels.discord.id}/deliveries?limit=1`,
            { token: a.token },
          );
          assert.equal(list.body.deliveries[0].id, res.body.delivery_id);
          assert.equal(list.body.deliveries[0].kind, "test");
        });

        await t.step("metrics count notifications by type and result", async () => {
          const metrics = await (await fetch(`${base}/metrics`)).text();
          assert.match(
            metrics,
            /vinsight_notifications_total\{type="webhook",result="delivered"\} 2/,
          );
          assert.match(
            metrics,
            /vinsight_notifications_total\{type="email",result="delivered"\} 2/,
          );
          assert.match(metrics, /vinsight_notification_queue_depth \d+/);
        });

        await t.step("another tenant sees none of it", async () => {
          const b = await registerTenant(base, "Other");
          const res = await api(
            base,
            "GET",
            `/api/v1/notification-channels/${channels.webhook.id}`,
            { token: b.token },
          );
          assert.equal(res.status, 404);
          const list = await api(base, "GET", "/api/v1/notification-channels", { token: b.token });
          assert.deepEqual(list.body.notification_channels, []);
          const rule = await api(base, "POST", "/api/v1/alert-rules", {
            token: b.token,
            body: {
              name: "x",
              condition: { type: "consecutive_failures", count: 1 },
              channel_ids: [channels.webhook.id],
            },
          });
          assert.equal(rule.status, 400);
          assert.equal(rule.body.error.details[0].path, "channel_ids");
        });
      } finally {
        await server.stop();
        await receiver.close();
        await smtp.close();
        await target.close();
      }
    },
  });

  Deno.test({
    name:
      `notifications (${backend.name}): retries on schedule, final failures, timeouts, manual retry`,
    ...integration,
    async fn(t) {
      const receiver = startReceiver();
      const server = await startTestServer(backend, { PUBLIC_URL }, { ...FAST, checks: false });
      const base = server.url;
      const db = server.deps.db;
      try {
        const a = await registerTenant(base);
        const hook = async (path: string) =>
          (await api(base, "POST", "/api/v1/notification-channels", {
            token: a.token,
            body: { name: path, type: "webhook", config: { url: `${receiver.url}${path}` } },
          })).body;
        const open = async (channelId: string) => {
          const m = await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name: `m-${channelId.slice(0, 4)}`, url: "http://127.0.0.1:9/" },
          });
          await api(base, "POST", "/api/v1/alert-rules", {
            token: a.token,
            body: {
              name: "down",
              monitor_id: m.body.id,
              condition: { type: "consecutive_failures", count: 1 },
              channel_ids: [channelId],
            },
          });
          await storeResults(db, [failing(m.body.id)]);
          server.dispatcher!.wake();
        };
        const deliveries = async (channelId: string) =>
          (await api(base, "GET", `/api/v1/notification-channels/${channelId}/deliveries`, {
            token: a.token,
          })).body.deliveries;

        await t.step(
          "500, then 429 with Retry-After, then 200: delivered once, same id",
          async () => {
            receiver.script("/flaky", [
              { status: 500 },
              { status: 429, headers: { "Retry-After": "1" } },
              { status: 200 },
            ]);
            const channel = await hook("/flaky");
            await open(channel.id);
            await eventually(
              async () => (await deliveries(channel.id))[0]?.status === "delivered",
              10_000,
              "delivered",
            );
            const [d] = await deliveries(channel.id);
            assert.equal(d.attempts, 3);
            assert.equal(d.response_status, 200);
            const hits = receiver.on("/flaky");
            assert.equal(hits.length, 3);
            assert.deepEqual(
              new Set(hits.map((h) => h.headers.get("webhook-id"))),
              new Set([d.id]),
            );
            assert.ok(
              hits[1].at - hits[0].at >= 280,
              `first retry after ${hits[1].at - hits[0].at} ms`,
            );
            assert.ok(
              hits[2].at - hits[1].at >= 950,
              `Retry-After honoured: ${hits[2].at - hits[1].at} ms`,
            );
          },
        );

        await t.step(
          "a 400 fails at once; a manual retry sends it again with the same id",
          async () => {
            receiver.script("/bad", [{ status: 400 }]);
            const channel = await hook("/bad");
            await open(channel.id);
            await eventually(
              async () => (await deliveries(channel.id))[0]?.status === "failed",
              10_000,
              "failed",
            );
            const [d] = await deliveries(channel.id);
            assert.equal(d.attempts, 1);
            assert.equal(d.response_status, 400);
            assert.match(d.last_error, /answered 400/);
            assert.equal(d.next_attempt_at, null);
            const retry = await api(base, "POST", `/api/v1/deliveries/${d.id}/retry`, {
              token: a.token,
            });
            assert.equal(retry.status, 202);
            await eventually(
              async () => (await deliveries(channel.id))[0]?.status === "delivered",
              10_000,
              "retried",
            );
            const hits = receiver.on("/bad");
            assert.equal(hits.length, 2);
            assert.equal(hits[1].headers.get("webhook-id"), d.id);
            const again = await api(base, "POST", `/api/v1/deliveries/${d.id}/retry`, {
              token: a.token,
            });
            assert.equal(again.status, 409, "only a failed delivery can be retried");
          },
        );

        await t.step("a receiver that does not answer in time is retried", async () => {
          receiver.script("/slow", [{ status: 200, delayMs: 2000 }]);
          const channel = await hook("/slow");
          await open(channel.id);
          await eventually(
            async () => (await deliveries(channel.id))[0]?.status === "delivered",
            15_000,
            "delivered",
          );
          const [d] = await deliveries(channel.id);
          assert.equal(d.attempts, 2);
          assert.equal(receiver.on("/slow").length, 2);
        });
      } finally {
        await server.stop();
        await receiver.close();
      }
    },
  });

  Deno.test({
    name:
      `notifications (${backend.name}): a burst on a human channel is grouped; reminders while open`,
    ...integration,
    async fn(t) {
      const receiver = startReceiver();
      const server = await startTestServer(backend, { PUBLIC_URL }, { ...FAST, checks: false });
      const base = server.url;
      const db = server.deps.db;
      try {
        const a = await registerTenant(base);
        const slack = await api(base, "POST", "/api/v1/notification-channels", {
          token: a.token,
          body: {
            name: "Slack",
            type: "slack",
            config: { webhook_url: `${receiver.url}/slack` },
            is_default: true,
          },
        });
        assert.equal(slack.status, 201);

        await t.step(
          "12 incidents at once: at most 5 single messages, the rest grouped",
          async () => {
            await api(base, "POST", "/api/v1/alert-rules", {
              token: a.token,
              body: { name: "down", condition: { type: "consecutive_failures", count: 1 } },
            });
            const ids: string[] = [];
            for (let i = 0; i < 12; i++) {
              const m = await api(base, "POST", "/api/v1/monitors", {
                token: a.token,
                body: { name: `site-${i}`, url: "http://127.0.0.1:9/" },
              });
              ids.push(m.body.id);
            }
            await storeResults(db, ids.map(failing));
            server.dispatcher!.wake();
            await eventually(
              async () => {
                const list = (await api(
                  base,
                  "GET",
                  `/api/v1/notification-channels/${slack.body.id}/deliveries`,
                  {
                    token: a.token,
                  },
                )).body.deliveries;
                return list.length > 0 &&
                  list.every((d: { status: string }) => d.status === "delivered");
              },
              10_000,
              "every delivery done",
            );
            const messages = receiver.on("/slack").map((r) => json(r.body).text as string);
            const singles = messages.filter((m) =>
              /Down: site-/.test(m) && !/notifications:/.test(m)
            );
            const grouped = messages.filter((m) => /notifications:/.test(m));
            assert.ok(singles.length <= 5, `${singles.length} single messages`);
            assert.ok(grouped.length >= 1, "a grouped message");
            for (let i = 0; i < 12; i++) {
              assert.ok(messages.some((m) => m.includes(`site-${i}`)), `site-${i} is named`);
            }
            assert.ok(messages.length < 12, `${messages.length} messages for 12 incidents`);
          },
        );

        await t.step(
          "a rule with reminder_minutes sends reminders while the incident is open",
          async () => {
            const hook = await api(base, "POST", "/api/v1/notification-channels", {
              token: a.token,
              body: { name: "Hook", type: "webhook", config: { url: `${receiver.url}/remind` } },
            });
            const m = await api(base, "POST", "/api/v1/monitors", {
              token: a.token,
              body: { name: "long outage", url: "http://127.0.0.1:9/" },
            });
            const rule = await api(base, "POST", "/api/v1/alert-rules", {
              token: a.token,
              body: {
                name: "remind",
                monitor_id: m.body.id,
                condition: { type: "consecutive_failures", count: 1 },
                channel_ids: [hook.body.id],
                reminder_minutes: 5, // 500 ms with this test's clock
              },
            });
            assert.equal(rule.body.reminder_minutes, 5);
            await storeResults(db, [failing(m.body.id)]);
            server.dispatcher!.wake();
            await eventually(() => receiver.on("/remind").length >= 3, 10_000, "two reminders");
            const types = receiver.on("/remind").map((r) => json(r.body).type);
            assert.equal(types[0], "incident.opened");
            assert.deepEqual(types.slice(1, 3), ["incident.reminder", "incident.reminder"]);
            const bad = await api(base, "PATCH", `/api/v1/alert-rules/${rule.body.id}`, {
              token: a.token,
              body: { reminder_minutes: 2 },
            });
            assert.equal(bad.status, 400, "reminders are 5 to 1440 minutes");
          },
        );
      } finally {
        await server.stop();
        await receiver.close();
      }
    },
  });
}

Deno.test({
  name: "notifications: email over implicit TLS (smtps)",
  ...integration,
  async fn() {
    const smtp = await startMailReceiver({ secure: true });
    const server = await startTestServer(BACKENDS[0], {
      PUBLIC_URL,
      SMTP_URL: `smtps://127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false`,
    }, FAST);
    try {
      const a = await registerTenant(server.url);
      const channel = await api(server.url, "POST", "/api/v1/notification-channels", {
        token: a.token,
        body: { name: "Mail", type: "email", config: { to: ["a@example.test", "b@example.test"] } },
      });
      assert.equal(channel.status, 201, channel.text);
      await api(server.url, "POST", `/api/v1/notification-channels/${channel.body.id}/test`, {
        token: a.token,
      });
      await eventually(() => smtp.mails.length === 1, 10_000, "the mail");
      assert.equal(smtp.mails[0].secure, true);
      assert.deepEqual(smtp.mails[0].to, ["a@example.test", "b@example.test"]);
      assert.match(smtp.mails[0].raw, /^Subject: Test notification for /m);
      assert.match(smtp.mails[0].raw, /^From: "?V-Insight"? <noreply@status\.example\.test>/m);
    } finally {
      await server.stop();
      await smtp.close();
    }
  },
});

Deno.test({
  name: "notifications: without SMTP_URL an email channel is refused",
  ...integration,
  async fn() {
    const server = await startTestServer(BACKENDS[0], {}, { checks: false });
    try {
      const a = await registerTenant(server.url);
      const res = await api(server.url, "POST", "/api/v1/notification-channels", {
        token: a.token,
        body: { name: "Mail", type: "email", config: { to: ["a@example.test"] } },
      });
      assert.equal(res.status, 400);
      assert.match(res.body.error.message, /SMTP_URL/);
    } finally {
      await server.stop();
    }
  },
});

Deno.test({
  name:
    "notifications (postgres): two instances deliver 200 notifications exactly once, and finish a dead one's claims",
  ignore: !TEST_DATABASE_URL,
  ...integration,
  async fn(t) {
    const receiver = startReceiver();
    const { db: first, url, cleanup } = await postgresBackend.create();
    const second = await openPostgres(url!);
    const opts = { ...FAST, checks: false };
    const a = await startTestServer(postgresBackend, { PUBLIC_URL }, {
      ...opts,
      shared: { db: first },
    });
    const b = await startTestServer(postgresBackend, { PUBLIC_URL }, {
      ...opts,
      shared: { db: second },
    });
    try {
      const tenant = await registerTenant(a.url);
      await api(a.url, "POST", "/api/v1/notification-channels", {
        token: tenant.token,
        body: {
          name: "Hook",
          type: "webhook",
          config: { url: `${receiver.url}/hook` },
          is_default: true,
        },
      });
      await api(a.url, "POST", "/api/v1/alert-rules", {
        token: tenant.token,
        body: { name: "down", condition: { type: "consecutive_failures", count: 1 } },
      });
      const ids: string[] = [];
      for (let i = 0; i < 200; i++) {
        const m = await api(i % 2 ? a.url : b.url, "POST", "/api/v1/monitors", {
          token: tenant.token,
          body: { name: `m${i}`, url: "http://127.0.0.1:9/", enabled: true },
        });
        ids.push(m.body.id);
      }

      await t.step(
        "200 incidents at once, two dispatching instances: each notification once",
        async () => {
          await storeResults(first, ids.map(failing));
          a.dispatcher!.wake();
          b.dispatcher!.wake();
          await eventually(() => receiver.on("/hook").length >= 200, 20_000, "200 webhooks");
          await new Promise((r) => setTimeout(r, 300));
          const seen = receiver.on("/hook").map((r) => r.headers.get("webhook-id"));
          assert.equal(seen.length, 200, "no duplicates");
          assert.equal(new Set(seen).size, 200);
          // Both instances dispatch; which takes how many is theirs to race for.
          console.log(`dispatched ${a.dispatcher!.attempts} / ${b.dispatcher!.attempts}`);
        },
      );

      await t.step(
        "an instance that dies mid-dispatch: the other sends its rows, same ids",
        async () => {
          const more = ids.slice(0, 20);
          // No live dispatcher may take the rows: a dying instance claims them and never sends.
          await a.dispatcher!.stop();
          await b.dispatcher!.stop();
          await storeResults(
            first,
            more.map((id) => ({
              ...failing(id),
              success: true,
              statusCode: 200,
              errorMessage: null,
            })),
          );
          const dead = await claimDeliveries(second, { limit: 100, leaseMs: 800 });
          assert.equal(dead.length, 20);
          const before = receiver.on("/hook").length;
          const fresh = await startTestServer(postgresBackend, { PUBLIC_URL }, {
            ...opts,
            shared: { db: first },
          });
          try {
            await eventually(
              () => receiver.on("/hook").length >= before + 20,
              10_000,
              "the dead one's rows",
            );
            const resent = receiver.on("/hook").slice(before).map((r) =>
              r.headers.get("webhook-id")
            );
            assert.deepEqual(new Set(resent), new Set(dead.map((d) => d.id)));
            await eventually(
              async () => {
                const [row] = await first.query<{ n: number }>(
                  "SELECT count(*)::int AS n FROM deliveries WHERE status = 'delivered' AND attempts = 2",
                );
                return row.n === 20;
              },
              5000,
              "each attempted again, once, and recorded",
            );
          } finally {
            await fresh.close();
          }
        },
      );
    } finally {
      await a.close();
      await b.close();
      await second.close();
      await cleanup();
      await receiver.close();
    }
  },
});
