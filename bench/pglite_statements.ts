/**
 * Storing check results on embedded PGlite, through the product's adapter
 * (`openPglite`: each SQL text prepared once, then one message per run, and
 * the data files' sizes remembered), through the same adapter with every file
 * size asked of the file system as NODEFS does (`pgliteDatabase` on a PGlite
 * opened without `rememberFileSizes`), and, in the same run, through the
 * peer: PGlite's own `query()` (parse, describe, bind, describe, execute and
 * sync for every statement), as the adapter was before. All hold the same
 * world — one tenant, `--monitors` monitors, ten of them on a published status
 * page — in a data directory copied from the migrated template, and store the
 * same outcomes through `storeResults` (checks, rollups, rules, events), in
 * rotating order so that none gets the quieter part of the machine. Reported:
 * milliseconds per stored batch, for batches of one result (a status page's
 * change) and of `--batch` results (the check pipeline under load), the
 * process's CPU, and the JavaScript heap allocated per stored result (V8's
 * sampling heap profiler over 100 more single results, counting what was
 * collected meanwhile too).
 *
 *   deno run -A bench/pglite_statements.ts [--monitors 1000] [--batch 200] [--rounds 5] [--out file]
 */
import { Session } from "node:inspector";
import process from "node:process";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { storeResults } from "../core/checks/store_results.ts";
import type { CheckOutcome } from "../core/checks/worker_protocol.ts";
import { type Database, guardedTransaction, type Queryable } from "../core/db/database.ts";
import { openPglite, PGLITE_SETTINGS, pgliteDatabase } from "../core/db/pglite.ts";
import { copyPgliteTemplate } from "./_pglite_template.ts";
import { fmtSpread, machine, quantile } from "./_stats.ts";
import { checkOutcome } from "./_warm_up.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    monitors: { type: "string", default: "1000" },
    batch: { type: "string", default: "200" },
    rounds: { type: "string", default: "5" },
    out: { type: "string" },
  },
});
const MONITORS = Number(args.monitors);
const BATCH = Number(args.batch);
const ROUNDS = Number(args.rounds);
/** Per round: single results stored, and batches. */
const SINGLES = 200;
const BATCHES = 20;

/** The peer: PGlite's `query()` for every statement, as the adapter ran before. */
async function openPeer(dir: string): Promise<Database> {
  const pg = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  await pg.waitReady;
  const wrap = (q: { query: PGlite["query"]; exec: PGlite["exec"] }): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(pg);
  return {
    kind: "pglite",
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => guardedTransaction(wrap(tx), fn)),
    listen: async (channel, onMessage) => {
      const unlisten = await pg.listen(channel, onMessage);
      return async () => await unlisten();
    },
    close: () => pg.close(),
  };
}

/** The product's adapter, each data file's size asked of the file system at every seek to its end. */
async function openAskingSizes(dir: string): Promise<Database> {
  const pg = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  await pg.waitReady;
  return pgliteDatabase(pg);
}

interface World {
  name: string;
  db: Database;
  dir: string;
  ids: string[];
  up: boolean[];
}

async function world(name: string, open: (dir: string) => Promise<Database>): Promise<World> {
  const dir = await Deno.makeTempDir({ prefix: "vinsight-bench-statements-" });
  await copyPgliteTemplate(`${dir}/pgdata`);
  const db = await open(`${dir}/pgdata`);
  const [{ id: tenant }] = await db.query<{ id: number }>(
    "INSERT INTO tenants (name) VALUES ('bench') RETURNING id",
  );
  const ids = (await db.query<{ id: string }>(
    `INSERT INTO monitors (tenant_id, name, type, url, method, interval_seconds, timeout_ms,
       expected_status, ignore_tls_errors, enabled, last_check, next_check_at)
     SELECT $1, 'm' || i, 'http', 'http://127.0.0.1:9/ok', 'GET', 60, 10000, '200-399', false,
       true, '{}'::jsonb, now() + interval '1 hour'
     FROM generate_series(0, $2::int - 1) AS i ORDER BY i RETURNING id`,
    [tenant, MONITORS],
  )).map((r) => r.id);
  const [page] = await db.query<{ id: string }>(
    "INSERT INTO status_pages (tenant_id, slug, title, description) VALUES ($1, 'bench', 'Bench', '') RETURNING id",
    [tenant],
  );
  await db.query(
    `INSERT INTO status_page_components (page_id, monitor_id, name, group_name, position)
     SELECT $1, m, 'Service ' || n, 'Core', n FROM unnest($2::uuid[]) WITH ORDINALITY AS u(m, n)`,
    [page.id, ids.slice(0, 10)],
  );
  return { name, db, dir, ids, up: ids.map(() => true) };
}

function outcome(w: World, i: number): CheckOutcome {
  w.up[i] = !w.up[i];
  return checkOutcome(w.ids[i], w.up[i]);
}

/** The process's CPU time (it runs one thread of ours), in ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Round {
  single: number[];
  batch: number[];
  cpuPerSingle: number;
}

async function round(w: World): Promise<Round> {
  const single: number[] = [];
  const batch: number[] = [];
  const cpu0 = cpuMs();
  for (let n = 0; n < SINGLES; n++) {
    const t = performance.now();
    await storeResults(w.db, [outcome(w, n % 10)]);
    single.push(performance.now() - t);
  }
  const cpuPerSingle = (cpuMs() - cpu0) / SINGLES;
  for (let n = 0; n < BATCHES; n++) {
    const first = (n * BATCH) % w.ids.length;
    const outcomes = Array.from(
      { length: BATCH },
      (_, k) => outcome(w, (first + k) % w.ids.length),
    );
    const t = performance.now();
    await storeResults(w.db, outcomes);
    batch.push(performance.now() - t);
  }
  return { single, batch, cpuPerSingle };
}

/** KB of JavaScript heap allocated per single stored result, collected or not. */
async function allocatedPerResult(w: World): Promise<number> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) =>
      session.post(method, params, (e: Error | null, r?: object) => e ? reject(e) : resolve(r as T))
    );
  await post("HeapProfiler.enable");
  await post("HeapProfiler.startSampling", {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const n = 100;
  for (let k = 0; k < n; k++) await storeResults(w.db, [outcome(w, k % 10)]);
  interface Node {
    selfSize: number;
    children: Node[];
  }
  const { profile } = await post<{ profile: { head: Node } }>("HeapProfiler.stopSampling");
  session.disconnect();
  const total = (node: Node): number =>
    node.children.reduce((sum, child) => sum + total(child), node.selfSize);
  return total(profile.head) / n / 1024;
}

const worlds = [
  await world(
    "V-Insight: prepared statements, file sizes remembered (openPglite)",
    (dir) => openPglite(dir),
  ),
  await world("V-Insight before: prepared statements, file sizes asked", openAskingSizes),
  await world("peer: PGlite's query()", openPeer),
];
const results = new Map<string, Round[]>(worlds.map((w) => [w.name, []]));
// A warm-up round each (plans, caches), not counted.
for (const w of worlds) await round(w);
for (let r = 0; r < ROUNDS; r++) {
  for (const w of [...worlds.slice(r % worlds.length), ...worlds.slice(0, r % worlds.length)]) {
    const result = await round(w);
    results.get(w.name)!.push(result);
    console.error(
      `${w.name} round ${r + 1}: single p50 ${
        quantile(result.single, 0.5).toFixed(2)
      } ms, batch of ${BATCH} p50 ${quantile(result.batch, 0.5).toFixed(1)} ms`,
    );
  }
}
const allocated = new Map<string, number>();
for (const w of worlds) allocated.set(w.name, await allocatedPerResult(w));
for (const w of worlds) {
  await w.db.close();
  await Deno.remove(w.dir, { recursive: true }).catch(() => {});
}

const lines = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/pglite_statements.ts --monitors ${MONITORS} --batch ${BATCH} --rounds ${ROUNDS}`,
  "",
  `Storing check results through \`storeResults\` on PGlite, ${SINGLES} single results and ${BATCHES} batches of ${BATCH} per round, the ${worlds.length} accesses in rotating order; min / median / max over ${ROUNDS} rounds of each round's median (p90: of each round's 90th percentile).`,
  "",
  "| database access | one result: ms p50 | ms p90 | CPU ms per result | JS heap KB per result | batch of " +
  BATCH + ": ms p50 | ms p90 |",
  "|---|---:|---:|---:|---:|---:|---:|",
];
for (const [name, rounds] of results) {
  lines.push(
    `| ${name} | ${fmtSpread(rounds.map((r) => quantile(r.single, 0.5)), 2)} | ${
      fmtSpread(rounds.map((r) => quantile(r.single, 0.9)), 2)
    } | ${fmtSpread(rounds.map((r) => r.cpuPerSingle), 2)} | ${allocated.get(name)!.toFixed(0)} | ${
      fmtSpread(rounds.map((r) => quantile(r.batch, 0.5)))
    } | ${fmtSpread(rounds.map((r) => quantile(r.batch, 0.9)))} |`,
  );
}
const out = lines.join("\n");
console.log(out);
if (args.out) await Deno.writeTextFile(args.out, out + "\n");
Deno.exit(0);
