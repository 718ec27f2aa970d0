/**
 * Deploy mode as on Deno Deploy, for real: `main.ts` in its own process with
 * `DEPLOY_MODE=true`, `--deny-write` and `--unstable-cron`, against
 * PostgreSQL. No Worker thread may exist; checks run inline (at once after a
 * new monitor, then from the `Deno.cron` run of each minute), events reach an
 * SSE client, and a stop takes less than 5 seconds.
 */
import assert from "node:assert/strict";
import { openPostgres } from "../core/db/postgres.ts";
import {
  api,
  createPostgresDatabase,
  eventually,
  registerTenant,
  TEST_DATABASE_URL,
} from "./_helpers.ts";
import { openStream } from "./_sse.ts";
import { startTarget } from "./_targets.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

/** The names of a process's threads (Deno names Worker threads `worker-<n>`). */
function threadNames(pid: number): string[] {
  return [...Deno.readDirSync(`/proc/${pid}/task`)].map((t) =>
    Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/comm`).trim()
  );
}

Deno.test({
  name: "deploy mode: no Worker, no writes, checks from Deno.cron, events to SSE, stop within 5 s",
  ignore: !TEST_DATABASE_URL,
  ...integration,
  async fn(t) {
    const target = startTarget();
    const { url: databaseUrl, drop } = await createPostgresDatabase();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--deny-write",
        "--unstable-cron",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--allow-sys",
        new URL("../main.ts", import.meta.url).pathname,
      ],
      env: {
        DEPLOY_MODE: "true",
        DATABASE_URL: databaseUrl,
        PORT: "0",
        HOST: "127.0.0.1",
        ALLOW_PRIVATE_TARGETS: "true",
        JWT_SECRET: "test-secret-test-secret-test-secret-42",
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines: Record<string, unknown>[] = [];
    const stderr: string[] = [];
    const read = async (
      stream: ReadableStream<Uint8Array<ArrayBuffer>>,
      onLine: (line: string) => void,
    ) => {
      let buffer = "";
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) !== -1) {
          onLine(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
      }
    };
    const stdoutDone = read(child.stdout, (l) => lines.push(JSON.parse(l)));
    const stderrDone = read(child.stderr, (l) => stderr.push(l));
    const db = await openPostgres(databaseUrl);
    let exited = false;
    try {
      const listening = (await eventually(
        () => lines.find((l) => l.msg === "listening"),
        30_000,
        `the server to listen (stderr: ${stderr.join("\n")})`,
      ))!;
      const base = listening.url as string;
      assert.equal(listening.database, "postgres");

      await t.step("no Worker thread is created", () => {
        const names = threadNames(child.pid);
        assert.ok(names.length > 0);
        assert.deepEqual(names.filter((n) => /worker/i.test(n) && !/DefaultWorke/.test(n)), []);
      });

      const a = await registerTenant(base);
      const stream = await openStream(`${base}/api/v1/stream/events`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      const created = await api(base, "POST", "/api/v1/monitors", {
        token: a.token,
        body: { name: "Deployed", url: `${target.url}/ok`, interval_seconds: 3600 },
      });
      assert.equal(created.status, 201);
      const checksOf = () =>
        stream.events().filter((f) =>
          f.event === "monitor_check" && JSON.parse(f.data!).data.monitor_id === created.body.id
        );

      await t.step("a new monitor is checked inline and its event streams", async () => {
        // Created at any second of the minute: the wake after creation checks it, not the cron.
        await stream.waitFor(() => checksOf().length >= 1, 8_000, "the first check");
        assert.equal(JSON.parse(checksOf()[0].data!).data.success, true);
        assert.deepEqual(
          threadNames(child.pid).filter((n) => /worker/i.test(n) && !/DefaultWorke/.test(n)),
          [],
          "still no Worker after a check",
        );
      });

      await t.step("a due monitor is checked by the next Deno.cron run", async () => {
        const before = checksOf().length;
        await db.query("UPDATE monitors SET next_check_at = now() WHERE id = $1", [
          created.body.id,
        ]);
        // No request wakes the scheduler now: only the cron run of the next minute can.
        await eventually(() => lines.some((l) => l.msg === "cron run"), 70_000, "a cron run");
        await stream.waitFor(() => checksOf().length > before, 10_000, "the cron run's check");
      });

      await stream.close();

      await t.step("SIGTERM stops it within 5 seconds, cleanly", async () => {
        const started = performance.now();
        child.kill("SIGTERM");
        const status = await child.status;
        exited = true;
        const took = performance.now() - started;
        assert.equal(status.code, 0, stderr.join("\n"));
        assert.ok(took < 5000, `stopped in ${took.toFixed(0)} ms`);
        assert.ok(lines.some((l) => l.msg === "stopped"));
        assert.ok(
          !stderr.some((l) => /PermissionDenied|NotCapable|write access/i.test(l)),
          `nothing tried to write: ${stderr.join("\n")}`,
        );
      });
    } finally {
      if (!exited) {
        child.kill("SIGKILL");
        await child.status;
      }
      await stdoutDone.catch(() => {});
      await stderrDone.catch(() => {});
      await db.close();
      await drop();
      await target.close();
    }
  },
});
