/** Thrown when another process already holds the data directory. */
export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

/**
 * Takes an exclusive lock on `<dir>/.lock` so that a second process cannot open
 * the same embedded database: PGlite has no lock of its own, and two processes
 * on one directory silently lose committed rows. The lock is released when the
 * returned file is closed or the process exits.
 */
export async function lockDataDir(dir: string): Promise<Deno.FsFile> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/.lock`;
  const file = await Deno.open(path, { create: true, read: true, write: true });
  const locked = await file.tryLock(true);
  if (!locked) {
    file.close();
    throw new DataDirLockedError(
      `DATA_DIR ${dir} is in use by another V-Insight process; stop it or set DATA_DIR to another folder (several instances need DATABASE_URL)`,
    );
  }
  await file.truncate(0);
  await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
  return file;
}
