import { migrate } from "../core/db/migrate.ts";
import { openPglite } from "../core/db/pglite.ts";

/**
 * Copies a migrated PGlite data directory to `to`, building it once. A new
 * directory costs ~5 s of initdb and leaves hundreds of MB of garbage behind
 * that would blur memory measurements.
 */
export async function copyPgliteTemplate(to: string): Promise<void> {
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/vinsight-bench-pglite-template`;
  try {
    await Deno.stat(`${dir}/PG_VERSION`);
  } catch {
    const building = await Deno.makeTempDir({ prefix: "vinsight-bench-building-" });
    const db = await openPglite(building);
    await migrate(db);
    await db.close();
    await Deno.rename(building, dir).catch(() => Deno.remove(building, { recursive: true }));
  }
  await Deno.mkdir(to, { recursive: true });
  const { code } = await new Deno.Command("cp", { args: ["-a", `${dir}/.`, to] }).output();
  if (code !== 0) throw new Error("could not copy the PGlite template");
}
