import assert from "node:assert/strict";
import type { Dialog, HTTPRequest, Page } from "puppeteer-core";
import { api, pgliteBackend, registerTenant, startTestServer } from "./_helpers.ts";
import { ensureBundle, holdFirstRequest, launchBrowser } from "./_browser.ts";
import { startProxy } from "./_proxy.ts";
import { startReceiver } from "./_receivers.ts";
import { selfSignedCertificate, startTarget, startTlsTarget } from "./_targets.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

/** Replaces an input's content the way a person would: select all, then type. */
async function fill(page: Page, selector: string, value: string) {
  await page.click(selector, { count: 3 });
  await page.keyboard.press("Backspace");
  await page.type(selector, value);
}

async function text(page: Page, selector: string): Promise<string> {
  return await page.$eval(selector, (el) => (el as HTMLElement).innerText);
}

Deno.test({
  name: "dashboard in Chromium: register, add a monitor, watch it go up and down live",
  ...integration,
  async fn(t) {
    await ensureBundle();
    const target = startTarget();
    const server = await startTestServer(pgliteBackend);
    // The browser talks to the server through a proxy so the test can cut the stream.
    const proxy = startProxy(server.port);
    const { browser, close } = await launchBrowser();
    const base = proxy.url;
    const consoleErrors: string[] = [];
    let stopTls = () => Promise.resolve();
    try {
      const page = await browser.newPage();
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      await page.setViewport({ width: 1280, height: 800 });

      await t.step("signed-out visitors are sent to /login", async () => {
        await page.goto(`${base}/domains`);
        assert.equal(new URL(page.url()).pathname, "/login");
      });

      await t.step("register through the form", async () => {
        await page.goto(`${base}/register`);
        await page.type("input[name=tenant_name]", "Browser Co");
        await page.type("input[name=email]", "browser@example.test");
        await page.type("input[name=password]", "correct horse battery");
        await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
        assert.equal(new URL(page.url()).pathname, "/domains");
        await page.waitForSelector("[data-connection=connected]", { timeout: 10_000 });
      });

      await t.step("a validation message appears beside the field", async () => {
        await page.waitForSelector("form[data-form=new]");
        await fill(page, "#new-name", "Local target");
        await fill(page, "#new-url", `${target.url}/switch`);
        await fill(page, "#new-interval_seconds", "5");
        await page.click("form[data-form=new] button[type=submit]");
        await page.waitForSelector("#new-interval_seconds-error");
        assert.match(await text(page, "#new-interval_seconds-error"), /10/);
      });

      await t.step("add a monitor and see it turn up without reloading", async () => {
        await fill(page, "#new-interval_seconds", "3600");
        await page.click("form[data-form=new] button[type=submit]");
        await page.waitForSelector("tr[data-monitor-id][data-status=up]", { timeout: 10_000 });
        const row = await text(page, "tr[data-monitor-id]");
        assert.match(row, /Up/);
        assert.match(row, /Local target/);
        assert.match(row, /\d+ ms/);
      });

      await t.step("make the target fail: down and an incident within seconds", async () => {
        const id = await page.$eval(
          "tr[data-monitor-id]",
          (el) => el.getAttribute("data-monitor-id"),
        );
        const cookie = (await page.cookies()).find((c) => c.name === "vi_session")!.value;
        const auth = { headers: { cookie: `vi_session=${cookie}`, origin: server.url } };
        await api(server.url, "POST", "/api/v1/alert-rules", {
          ...auth,
          body: { name: "Down once", condition: { type: "consecutive_failures", count: 1 } },
        });
        target.status = 500;
        await api(server.url, "POST", `/api/v1/monitors/${id}/check`, auth);
        await page.waitForSelector("tr[data-monitor-id][data-status=down]", { timeout: 5000 });
        assert.match(await text(page, "tr[data-monitor-id]"), /Unexpected status 500/);
        await page.goto(`${base}/dashboard`);
        await page.waitForSelector("[data-connection=connected]");
        assert.equal(await text(page, "[data-count=down]"), "1");
        assert.equal(await text(page, "[data-count=open]"), "1");
        target.status = 200;
        await api(server.url, "POST", `/api/v1/monitors/${id}/check`, auth);
        await page.waitForFunction(
          () => document.querySelector("[data-count=open]")?.textContent === "0",
          { timeout: 5000 },
        );
        assert.equal(await text(page, "[data-count=up]"), "1");
      });

      await t.step(
        "a check stored before the page's stream connects still reaches it",
        async () => {
          const cookie = (await page.cookies()).find((c) => c.name === "vi_session")!.value;
          const auth = { headers: { cookie: `vi_session=${cookie}`, origin: server.url } };
          // The page's stream is held back until a check has been stored after the render.
          const stream = await holdFirstRequest(page, (u) => u.includes("/api/v1/stream/events"));
          try {
            await page.goto(`${base}/domains`);
            await page.waitForSelector("tr[data-monitor-id][data-status=up]");
            const id = await page.$eval(
              "tr[data-monitor-id]",
              (el) => el.getAttribute("data-monitor-id"),
            );
            assert.ok(await stream.held(), "the page opened its stream");
            target.status = 500;
            await api(server.url, "POST", `/api/v1/monitors/${id}/check`, auth);
            for (let i = 0; i < 100; i++) {
              const m = await api(server.url, "GET", `/api/v1/monitors/${id}`, auth);
              if (m.body.status === "down") break;
              await new Promise((r) => setTimeout(r, 50));
            }
            await stream.release();
            await page.waitForSelector("tr[data-monitor-id][data-status=down]", { timeout: 5000 });
          } finally {
            await stream.stop();
            target.status = 200;
          }
          const id = await page.$eval(
            "tr[data-monitor-id]",
            (el) => el.getAttribute("data-monitor-id"),
          );
          await api(server.url, "POST", `/api/v1/monitors/${id}/check`, auth);
          await page.waitForSelector("tr[data-monitor-id][data-status=up]", { timeout: 5000 });
        },
      );

      await t.step("cut the stream: the badge goes to reconnecting and back", async () => {
        await page.goto(`${base}/domains`);
        await page.waitForSelector("[data-connection=connected]");
        proxy.cutAll();
        await page.waitForSelector("[data-connection=reconnecting]", { timeout: 5000 });
        await page.waitForSelector("[data-connection=connected]", { timeout: 10_000 });
      });

      await t.step("a hostile monitor name renders as text", async () => {
        const cookie = (await page.cookies()).find((c) => c.name === "vi_session")!.value;
        await api(server.url, "POST", "/api/v1/monitors", {
          headers: { cookie: `vi_session=${cookie}`, origin: server.url },
          body: {
            name: "<img src=x onerror=alert(1)>",
            url: `${target.url}/ok`,
            interval_seconds: 3600,
          },
        });
        let dialog = false;
        const onDialog = async (d: Dialog) => {
          dialog = true;
          await d.dismiss();
        };
        page.on("dialog", onDialog);
        await page.goto(`${base}/domains`);
        await page.waitForSelector("[data-connection=connected]");
        const html = await page.content();
        page.off("dialog", onDialog);
        assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
        assert.equal(await page.$("td img"), null, "no element was created from the name");
        assert.equal(dialog, false);
      });

      await t.step(
        "notifications: add a webhook, see its secret, send a test, pick it in a rule",
        async () => {
          const receiver = startReceiver();
          try {
            await page.goto(`${base}/notifications`);
            await page.waitForSelector("form[data-form=new-channel]");
            await fill(page, "#channel-name", "Ops hook");
            await fill(page, "#channel-url", `${receiver.url}/hook`);
            await page.click("form[data-form=new-channel] button[type=submit]");
            await page.waitForSelector(".secret code", { timeout: 5000 });
            assert.match(await text(page, ".secret code"), /^whsec_/);
            await page.click("[data-channel-id] button.button.small");
            await page.waitForFunction(
              () => document.querySelector(".test-result")?.textContent?.includes("Delivered"),
              { timeout: 10_000 },
            );
            assert.equal(receiver.on("/hook").length, 1);
            assert.equal(JSON.parse(receiver.on("/hook")[0].body).type, "test");
            await page.goto(`${base}/alert-rules`);
            await page.waitForSelector(".channel-choice input[type=checkbox]");
            assert.match(await text(page, ".channel-choice"), /Ops hook/);
          } finally {
            await receiver.close();
          }
        },
      );

      await t.step("settings: create an API key, see it once, use it, revoke it", async () => {
        await page.goto(`${base}/settings`);
        await page.waitForSelector("form[data-form=new-api-key]");
        await fill(page, "#key-name", "CI deploys");
        await page.click("form[data-form=new-api-key] button[type=submit]");
        await page.waitForSelector(".secret code", { timeout: 5000 });
        const key = await text(page, ".secret code");
        assert.match(key, /^vik_/);
        const listed = await text(page, "[data-api-key-id]");
        assert.ok(listed.includes("CI deploys") && !listed.includes(key.slice(16)));
        const bearer = { headers: { authorization: `Bearer ${key}` } };
        assert.equal((await api(server.url, "GET", "/api/v1/monitors", bearer)).status, 200);
        page.once("dialog", (d) => d.accept());
        await page.click("[data-api-key-id] button.danger");
        await page.waitForFunction(() => !document.querySelector("[data-api-key-id]"));
        assert.equal((await api(server.url, "GET", "/api/v1/monitors", bearer)).status, 401);
        await page.reload();
        await page.waitForSelector("[data-audit-log] tr[data-action='api_key.deleted']");
        assert.match(await text(page, "[data-audit-log] tbody"), /api_key\.created/);
      });

      await t.step("settings: change the password; another session is signed out", async () => {
        const other = await api(server.url, "POST", "/api/v1/auth/login", {
          body: { email: "browser@example.test", password: "correct horse battery" },
        });
        assert.equal(other.status, 200, other.text);
        const bearer = { token: other.body.token };
        assert.equal((await api(server.url, "GET", "/api/v1/me", bearer)).status, 200);
        await page.goto(`${base}/settings`);
        await page.waitForSelector("form[data-form=password]");
        await fill(page, "#current-password", "correct horse battery");
        await fill(page, "#new-password", "an even better horse");
        await page.click("form[data-form=password] button[type=submit]");
        await page.waitForSelector(".form-ok", { timeout: 5000 });
        assert.equal((await api(server.url, "GET", "/api/v1/me", bearer)).status, 401);
        const res = await page.goto(`${base}/dashboard`);
        assert.equal(res?.status(), 200, "this browser's session goes on");
        assert.equal(new URL(page.url()).pathname, "/dashboard");
      });

      await t.step(
        "settings: invite a member; the link signs them up in another browser",
        async () => {
          await page.goto(`${base}/settings`);
          await page.waitForSelector("form[data-form=invite]");
          await fill(page, "#invite-email", "newcomer@example.test");
          await page.click("form[data-form=invite] button[type=submit]");
          await page.waitForSelector(".secret code", { timeout: 5000 });
          const link = await text(page, ".secret code");
          assert.match(link, /\/invitations\/vii_/);
          const other = await browser.createBrowserContext();
          try {
            const guest = await other.newPage();
            await guest.goto(link);
            assert.match(await text(guest, "h1"), /^Join /);
            await guest.type("#password", "newcomer's password");
            await Promise.all([guest.waitForNavigation(), guest.click("button[type=submit]")]);
            assert.equal(new URL(guest.url()).pathname, "/dashboard");
            const again = await guest.goto(link);
            assert.equal(again?.status(), 404, "an invitation is single use");
          } finally {
            await other.close();
          }
          await page.reload();
          await page.waitForSelector("[data-member-email='newcomer@example.test']");
        },
      );

      await t.step("a second tenant appears in the header's switcher and switches", async () => {
        const other = await registerTenant(server.url, "Side project");
        const inv = await api(server.url, "POST", "/api/v1/invitations", {
          token: other.token,
          body: { email: "browser@example.test", role: "viewer" },
        });
        assert.equal(inv.status, 201, inv.text);
        await page.goto(`${base}/invitations/${inv.body.token}`);
        await page.type("#password", "an even better horse");
        await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
        await page.waitForSelector("select.tenant-switcher");
        const value = () =>
          page.$eval("select.tenant-switcher", (el) => (el as HTMLSelectElement).value);
        assert.equal(await value(), String(other.tenantId), "accepting opened the inviting tenant");
        const home = await page.$eval(
          `select.tenant-switcher option:not([value='${other.tenantId}'])`,
          (el) => (el as HTMLOptionElement).value,
        );
        await Promise.all([page.waitForNavigation(), page.select("select.tenant-switcher", home)]);
        await page.waitForSelector("select.tenant-switcher");
        assert.equal(await value(), home);
      });

      await t.step("a public status page updates live in the browser", async () => {
        const cookie = (await page.cookies()).find((c) => c.name === "vi_session")!.value;
        const auth = { headers: { cookie: `vi_session=${cookie}`, origin: server.url } };
        const monitors = (await api(server.url, "GET", "/api/v1/monitors", auth)).body.monitors;
        const local = monitors.find((m: { name: string }) => m.name === "Local target");
        const created = await api(server.url, "POST", "/api/v1/status-pages", {
          ...auth,
          body: {
            slug: "browser-co",
            title: "Browser Co status",
            components: [{ monitor_id: local.id }],
          },
        });
        assert.equal(created.status, 201, created.text);
        const viewer = await browser.newPage();
        try {
          await viewer.goto(`${base}/status/browser-co`);
          const before = await viewer.$eval(".pill", (el) => el.textContent);
          const previous = target.status;
          target.status = before === "up" ? 500 : 200;
          await api(server.url, "POST", `/api/v1/monitors/${local.id}/check`, auth);
          await viewer.waitForFunction(
            (b) => document.querySelector(".pill")?.textContent !== b,
            { timeout: 10_000 },
            before,
          );
          const overall = await viewer.$eval(".overall", (el) => el.getAttribute("data-status"));
          assert.equal(overall, before === "up" ? "outage" : "operational");
          target.status = previous;
          // A report posted now appears without a reload, and its update redraws it.
          const report = await api(
            server.url,
            "POST",
            `/api/v1/status-pages/${created.body.id}/reports`,
            {
              ...auth,
              body: { title: "Checkout <b>slow</b>", status: "investigating", message: "Looking." },
            },
          );
          assert.equal(report.status, 201, report.text);
          await viewer.waitForSelector(`[data-report-id="${report.body.id}"] h2`, {
            timeout: 10_000,
          });
          assert.equal(
            await viewer.$eval(`[data-report-id="${report.body.id}"] h2`, (el) => el.textContent),
            "Checkout <b>slow</b>",
          );
          await api(server.url, "POST", `/api/v1/status-reports/${report.body.id}/updates`, {
            ...auth,
            body: { status: "resolved", message: "Fixed." },
          });
          await viewer.waitForFunction(
            (id) =>
              document.querySelector(`[data-report-id="${id}"]`)?.classList.contains("resolved"),
            { timeout: 10_000 },
            report.body.id,
          );
          assert.equal(
            await viewer.$$eval(`[data-report-id="${report.body.id}"] li`, (l) => l.length),
            2,
          );
        } finally {
          await viewer.close();
        }
        /** Turns the component the other way, and waits until the page's JSON says so. */
        const turn = async (before: string | null) => {
          target.status = before === "up" ? 500 : 200;
          await api(server.url, "POST", `/api/v1/monitors/${local.id}/check`, auth);
          const changed = before === "up" ? "down" : "up";
          for (let i = 0; i < 100; i++) {
            const json = await api(server.url, "GET", "/api/v1/public/status/browser-co");
            if (json.body.components[0].status === changed) break;
            await new Promise((r) => setTimeout(r, 50));
          }
          return changed;
        };
        // A change between the page's render and its stream's connection still reaches it.
        const late = await browser.newPage();
        const stream = await holdFirstRequest(
          late,
          (u) => u.endsWith("/api/v1/public/status/browser-co/events"),
        );
        const previous = target.status;
        try {
          await late.goto(`${base}/status/browser-co`);
          const before = await late.$eval(".pill", (el) => el.textContent);
          assert.ok(await stream.held(), "the page opened its stream");
          const changed = await turn(before);
          await stream.release();
          await late.waitForFunction(
            (s) => document.querySelector(".pill")?.textContent === s,
            { timeout: 5000 },
            changed,
          );
        } finally {
          target.status = previous;
          await stream.stop();
          await late.close();
        }
        // A viewer whose gap cannot be replayed is sent `reset`, and reads the page again.
        const away = await browser.newPage();
        let streams = 0;
        const comeBack: { req?: HTTPRequest } = {};
        await away.setRequestInterception(true);
        away.on("request", (req) => {
          if (!req.url().endsWith("/api/v1/public/status/browser-co/events")) req.continue();
          else if (++streams === 2) comeBack.req = req; // held until the test lets it go
          else req.continue();
        });
        const pagePath = `/api/v1/status-pages/${created.body.id}`;
        try {
          await away.goto(`${base}/status/browser-co`);
          const before = await away.$eval(".pill", (el) => el.textContent);
          for (let i = 0; i < 100 && streams < 1; i++) await new Promise((r) => setTimeout(r, 50));
          // Unpublished, the stream ends and the page tries to come back; published again.
          await api(server.url, "PATCH", pagePath, { ...auth, body: { published: false } });
          for (let i = 0; i < 100 && !comeBack.req; i++) {
            await new Promise((r) => setTimeout(r, 50));
          }
          assert.ok(comeBack.req, "the page reconnects");
          await api(server.url, "PATCH", pagePath, { ...auth, body: { published: true } });
          // Meanwhile the component changes: no frame can reach a viewer that is away.
          const changed = await turn(before);
          // It comes back with an id this server's log never gave: `reset`, not a replay.
          await comeBack.req.continue({
            headers: { ...comeBack.req.headers(), "last-event-id": "999999999" },
          });
          await away.waitForFunction(
            (s) => document.querySelector(".pill")?.textContent === s,
            { timeout: 5000 },
            changed,
          );
        } finally {
          target.status = previous;
          await away.setRequestInterception(false).catch(() => {});
          await away.close();
        }
      });

      await t.step("every page renders; screenshot of the domains page", async () => {
        for (
          const path of [
            "/dashboard",
            "/incidents",
            "/alert-rules",
            "/notifications",
            "/status-pages",
            "/maintenance",
            "/settings",
            "/api-docs",
            "/",
          ]
        ) {
          const res = await page.goto(`${base}${path}`).catch((e) => {
            throw new Error(`${path}: ${e.message}`);
          });
          assert.equal(res?.status(), 200, path);
        }
        // A few more monitors, so the screenshot shows what a real tenant sees.
        const cookie = (await page.cookies()).find((c) => c.name === "vi_session")!.value;
        const auth = { headers: { cookie: `vi_session=${cookie}`, origin: server.url } };
        const tls = startTlsTarget(await selfSignedCertificate(45));
        stopTls = tls.close;
        for (
          const body of [
            { name: "Shop (TLS)", url: tls.url, ignore_tls_errors: true },
            { name: "API health", url: `${target.url}/slow?ms=180`, keyword: "ok" },
            { name: "Billing", url: `${target.url}/status/503` },
          ]
        ) {
          await api(server.url, "POST", "/api/v1/monitors", {
            ...auth,
            body: { ...body, interval_seconds: 60 },
          });
        }
        await page.goto(`${base}/domains`);
        await page.waitForFunction(
          () => document.querySelectorAll("tr[data-status=up], tr[data-status=down]").length >= 5,
          { timeout: 15_000 },
        );
        // Each row shows its last checks as bars and its 24-hour uptime, live ones appended.
        await page.waitForFunction(
          () => document.querySelectorAll("tr[data-status] .check-bars .bar").length >= 5,
          { timeout: 10_000 },
        );
        assert.match(await text(page, "tr[data-status] [data-field=uptime]"), /% \(24 h\)/);
        await Deno.mkdir("tests/output", { recursive: true });
        await page.screenshot({ path: "tests/output/domains.png", fullPage: true });
        assert.deepEqual(
          consoleErrors.filter((e) =>
            !/ERR_CONNECTION|Failed to load resource|network error/i.test(e)
          ),
          [],
        );
      });
    } finally {
      await close();
      await stopTls();
      proxy.close();
      await server.stop();
      await target.close();
    }
  },
});
