/**
 * Assembles docs/BENCHMARKS.md from the result files the benchmarks wrote to
 * docs/bench/ (each run with `--out`), with the notes that explain them.
 *
 *   deno run -A bench/report.ts
 */
const dir = new URL("../docs/bench/", import.meta.url);
const read = async (name: string) => {
  try {
    return (await Deno.readTextFile(new URL(name, dir))).trim();
  } catch {
    return "_Not run yet: see the command above._";
  }
};
const notes = JSON.parse(await Deno.readTextFile(new URL("notes.json", dir))) as Record<
  string,
  string
>;

const sections: [string, string, string][] = [
  ["SSE fan-out", "sse_fanout.md", "bench/sse_fanout.ts"],
  ["Checks", "checks.md", "bench/checks.ts"],
  ["Checks: glibc's large blocks, before and after", "checks_malloc.md", "bench/checks.ts"],
  ["Dashboard at scale", "dashboard.md", "bench/dashboard.ts"],
  ["End-to-end latency", "latency.md", "bench/latency.ts"],
  ["Soak", "soak.md", "bench/soak.ts"],
  ["Notifications", "notifications.md", "bench/notifications.ts"],
  ["Monitor kinds", "monitor_kinds.md", "bench/monitor_kinds.ts"],
  ["Status pages", "status_page.md", "bench/status_page.ts"],
  [
    "Status pages: the stored change pipelined, before and after",
    "status_page_write.md",
    "bench/status_page.ts",
  ],
  [
    "Status pages: the young generation is the gap",
    "status_page_young_gen.md",
    "bench/status_page.ts, bench/checks.ts",
  ],
  [
    "Status pages: the live heap and where each change starts",
    "status_page_heap.md",
    "bench/status_page.ts, bench/heap.ts",
  ],
  [
    "Status pages: MinorMS, and a young generation per isolate",
    "status_page_minor_ms.md",
    "bench/status_page.ts, bench/checks.ts",
  ],
  [
    "Status pages: V8's own young generation on the serving thread",
    "status_page_serving.md",
    "bench/status_page.ts, bench/checks.ts",
  ],
  [
    "Status pages: PGlite's statements prepared once",
    "status_page_prepared.md",
    "bench/pglite_statements.ts, bench/status_page.ts, bench/checks.ts",
  ],
  [
    "Status pages: PGlite's file sizes remembered, and a warm server",
    "status_page_warm.md",
    "bench/pglite_statements.ts, bench/pglite_warm_up.ts, bench/status_page.ts, bench/checks.ts",
  ],
  [
    "Status pages: a crowd reconnects, before and after",
    "status_page_reconnect.md",
    "bench/status_page.ts",
  ],
  ["Tenant streams without pull(): before and after", "sse_pull_free.md", "bench/sse_fanout.ts"],
  [
    "Tenant streams at 10,000: the public streams' gain",
    "sse_fanout_now.md",
    "bench/sse_fanout.ts",
  ],
  [
    "The house reorganised: before and after",
    "refactor.md",
    "bench/sse_fanout.ts, bench/checks.ts",
  ],
  ["The compiled binary", "binary.md", "deno task compile"],
];
let out = `# Benchmarks

Every figure here comes from a script in \`bench/\`, run on the machine named in its table, with the
command shown. Tables give **min / median / max over 3 runs** unless they say otherwise. The floor
and the peer run in the same script, with the same load client, on the same machine, in the same
run. \`deno task bench\` runs a quick version of all of them (under 5 minutes); \`deno task bench:full\`
runs the whole set and rewrites the files in \`docs/bench/\`; \`deno run -A bench/report.ts\` assembles
this page. Benchmarks are not tests: the test suite has no timing assertion.

${notes.summary}
`;
for (const [title, file, script] of sections) {
  out += `\n## ${title} (\`${script}\`)\n\n${await read(file)}\n\n${notes[file] ?? ""}\n`;
}
await Deno.writeTextFile(new URL("../BENCHMARKS.md", dir), out);
console.log("wrote docs/BENCHMARKS.md");
