import assert from "node:assert/strict";
import { DataDirLockedError, lockDataDir } from "../core/db/data_dir_lock.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "main.ts refuses a DATA_DIR held by another process, with one clear line",
  ...integration,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "vinsight-lock-" });
    const lock = await lockDataDir(dir);
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname],
        env: { DATA_DIR: dir, PORT: "0", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr).trim();
      assert.equal(out.code, 1);
      assert.match(stderr, /^v-insight: DATA_DIR .* is in use by another V-Insight process/m);
      assert.equal(stderr.split("\n").filter((l) => l.startsWith("v-insight:")).length, 1);
    } finally {
      lock.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("lockDataDir() is exclusive until released", async () => {
  const dir = await Deno.makeTempDir();
  const first = await lockDataDir(dir);
  await assert.rejects(() => lockDataDir(dir), DataDirLockedError);
  first.close();
  const again = await lockDataDir(dir);
  again.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  name: "main.ts stops with a one-line error naming a bad setting",
  ...integration,
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname],
      env: { PORT: "not-a-port", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 2);
    assert.equal(
      new TextDecoder().decode(out.stderr).trim(),
      'v-insight: Invalid setting PORT="not-a-port": must be a whole number',
    );
  },
});
