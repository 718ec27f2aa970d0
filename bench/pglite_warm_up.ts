/**
 * What a fresh process pays for its first stored check results on PGlite:
 * each run is a new process (the product's V8 flags) that opens the migrated
 * template through `openPglite` and stores single results through
 * `storeResults`, timing its first 40, the next 40, and 40 more after 2,000.
 * CPU is the whole process's, every thread: while the first results are
 * stored, V8's helper threads compile the code they run (PGlite's WebAssembly
 * and the JavaScript around it) to optimised code, and PostgreSQL fills its
 * caches and plans. `bench/status_page.ts --warm` stores results before it
 * measures for this reason.
 *
 *   deno run -A bench/pglite_warm_up.ts [--runs 3] [--out file]
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { openPglite } from "../core/db/pglite.ts";
import { copyPgliteTemplate } from "./_pglite_template.ts";
import { productV8Flags } from "./_process.ts";
import { fmtSpread, machine } from "./_stats.ts";
import { storeTurns, tenantWithMonitors } from "./_warm_up.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    once: { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const BLOCK = 40;
const BLOCKS = [
  { name: `results 1–${BLOCK}`, before: 0 },
  { name: `results ${BLOCK + 1}–${2 * BLOCK}`, before: 0 },
  { name: `${BLOCK} results after 2,000`, before: 2000 - 2 * BLOCK },
];

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** One fresh process's blocks: ms per stored result. */
async function once(): Promise<Timing[]> {
  const dir = await Deno.makeTempDir({ prefix: "vinsight-bench-warm-up-" });
  await copyPgliteTemplate(`${dir}/pgdata`);
  const db = await openPglite(`${dir}/pgdata`);
  const monitors = await tenantWithMonitors(db, "bench");
  let stored = 0;
  const store = async (n: number) => {
    await storeTurns(db, monitors, n, stored);
    stored += n;
  };
  const timings: Timing[] = [];
  for (const block of BLOCKS) {
    await store(block.before);
    const cpu = process.cpuUsage();
    const start = performance.now();
    await store(BLOCK);
    const { user, system } = process.cpuUsage(cpu);
    timings.push({
      wallMs: (performance.now() - start) / BLOCK,
      cpuMs: (user + system) / 1000 / BLOCK,
    });
  }
  await db.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  return timings;
}

if (args.once) {
  console.log(JSON.stringify(await once()));
  Deno.exit(0);
}

const runs: Timing[][] = [];
for (let r = 0; r < Number(args.runs); r++) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--v8-flags=${await productV8Flags()}`, import.meta.filename!, "--once"],
    env: { DENO_NO_UPDATE_CHECK: "1" },
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`run ${r + 1} failed`);
  runs.push(JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!));
  console.error(`run ${r + 1}: ${runs.at(-1)!.map((t) => t.cpuMs.toFixed(2)).join(" / ")} CPU ms`);
}
const lines = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/pglite_warm_up.ts --runs ${args.runs}`,
  "",
  `A fresh process storing single check results through \`storeResults\` on PGlite; ms per stored result, min / median / max over ${args.runs} runs (CPU: the whole process, every thread).`,
  "",
  "| stored results | wall ms | CPU ms |",
  "|---|---:|---:|",
  ...BLOCKS.map((block, i) =>
    `| ${block.name} | ${fmtSpread(runs.map((t) => t[i].wallMs), 2)} | ${
      fmtSpread(runs.map((t) => t[i].cpuMs), 2)
    } |`
  ),
];
const text = lines.join("\n");
console.log(text);
if (args.out) await Deno.writeTextFile(args.out, text + "\n");
