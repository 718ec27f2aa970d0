/**
 * The server's live heap after start, with no request yet: what every full
 * collection marks before a single viewer or monitor is added. Started in a
 * child process with the product's V8 flags (and `--expose-gc`), on PGlite and,
 * with `--database-url`, on PostgreSQL (a fresh database each run).
 *
 *   deno run -A bench/heap.ts [--runs 3] [--database-url postgres://…]
 */
import { parseArgs } from "node:util";
import { freshDatabase, inheritProductEnv, productV8Flags } from "./_process.ts";
import { fmtSpread, machine } from "./_stats.ts";

await inheritProductEnv();

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    "database-url": { type: "string", default: Deno.env.get("BENCH_DATABASE_URL") ?? "" },
    child: { type: "boolean", default: false },
  },
});

if (args.child) {
  const { loadConfig } = await import("../core/config.ts");
  const { createLogger } = await import("../core/log.ts");
  const { startServer } = await import("../server.ts");
  const dataDir = await Deno.makeTempDir({ prefix: "vinsight-heap-" });
  const server = await startServer(
    loadConfig({
      ...Deno.env.toObject(),
      PORT: "0",
      DATA_DIR: dataDir,
      JWT_SECRET: "bench-secret-bench-secret-bench-secret!",
      LOG_LEVEL: "error",
    }),
    { hostname: "127.0.0.1", checks: false, log: createLogger("error") },
  );
  await new Promise((r) => setTimeout(r, 2000));
  (globalThis as { gc?: () => void }).gc?.();
  console.log(JSON.stringify({ heapMb: Deno.memoryUsage().heapUsed / 1e6 }));
  await server.close();
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  Deno.exit(0);
}

const flags = await productV8Flags();
const databases = ["pglite", ...(args["database-url"] ? ["postgres"] : [])];
const lines = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/heap.ts --runs ${args.runs}${
    args["database-url"] ? " --database-url …" : ""
  }`,
  "",
  "| database | live heap after start, MB |",
  "|---|---:|",
];
for (const database of databases) {
  const heaps: number[] = [];
  for (let run = 0; run < Number(args.runs); run++) {
    const url = database === "postgres" ? await freshDatabase(args["database-url"]!) : "";
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--v8-flags=--expose-gc,${flags}`, import.meta.filename!, "--child"],
      env: { DENO_NO_UPDATE_CHECK: "1", DATABASE_URL: url },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const line = new TextDecoder().decode(out.stdout).split("\n").find((l) => l.startsWith("{"));
    heaps.push(JSON.parse(line!).heapMb);
  }
  lines.push(`| ${database} | ${fmtSpread(heaps)} |`);
}
console.log(lines.join("\n"));
