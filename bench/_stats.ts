/** Small statistics helpers shared by the benchmarks. */

/** The p-quantile (0–1) of a numeric sample, by nearest rank. */
export function quantile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** min / median / max of repeated runs. */
export function spread(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    median: sorted[Math.floor((sorted.length - 1) / 2)],
    max: sorted.at(-1)!,
  };
}

/** "min / median / max" with a fixed number of decimals. */
export function fmtSpread(values: number[], digits = 1): string {
  const s = spread(values);
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;
}

/** Resident memory of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSecondsOf(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** A description of this machine for the results table. */
export function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ??
    "unknown CPU";
  const cores = navigator.hardwareConcurrency;
  const mem = Number(/MemTotal:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/meminfo"))![1]) / 1024 /
    1024;
  return `${cpu}, ${cores} cores, ${
    mem.toFixed(0)
  } GiB, Deno ${Deno.version.deno}, Linux ${Deno.osRelease()}`;
}
