import assert from "node:assert/strict";
import { fstatSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { type NodeFileSystem, rememberFileSizes } from "./pglite_file_sizes.ts";

const FILE = 0o100644;
const SEEK_SET = 0;
const SEEK_END = 2;

/** A NODEFS stand-in over an in-memory disk, counting what reaches the disk for a size. */
function fakeNodefs() {
  const disk = new Map<string, number>();
  const asked: string[] = [];
  let failWrites = false;
  const nodefs: NodeFileSystem = {
    stream_ops: {
      llseek(stream, offset, whence) {
        const { path } = stream.node as unknown as { path: string };
        if (whence === SEEK_END) asked.push(path);
        const position = whence === SEEK_END ? disk.get(path)! + offset : offset;
        if (position < 0) throw new RangeError("EINVAL");
        return position;
      },
      write(stream, _buffer, _offset, length, position) {
        const { path } = stream.node as unknown as { path: string };
        if (failWrites) {
          disk.set(path, Math.max(disk.get(path)!, position + 1)); // one byte got there
          throw new Error("ENOSPC");
        }
        disk.set(path, Math.max(disk.get(path)!, position + length));
        return length;
      },
      close() {},
      setattr(stream: { node: { path: string } }, attr: { size?: number }) {
        if (attr.size !== undefined) disk.set(stream.node.path, attr.size);
      },
    },
    node_ops: {
      setattr(node: { path: string }, attr: { size?: number }) {
        if (attr.size !== undefined) disk.set(node.path, attr.size);
      },
      unlink() {},
      rename() {},
      rmdir() {},
    },
  };
  const open = (path: string, size: number, mode = FILE) => {
    disk.set(path, size);
    return { node: { path, mode } };
  };
  return { nodefs, disk, asked, open, failing: (on: boolean) => failWrites = on };
}

const bytes = new Uint8Array(8192);

Deno.test("a file's size is asked of the disk once, then kept exact through writes", () => {
  const { nodefs, asked, open } = fakeNodefs();
  rememberFileSizes(nodefs);
  const ops = nodefs.stream_ops;
  const rel = open("base/5/16384", 16384);
  assert.equal(ops.llseek(rel, 0, SEEK_END), 16384);
  assert.equal(ops.llseek(rel, 0, SEEK_END), 16384);
  assert.equal(ops.llseek(rel, -100, SEEK_END), 16284);
  assert.deepEqual(asked, ["base/5/16384"]);
  ops.write(rel, bytes, 0, 8192, 16384); // extends
  assert.equal(ops.llseek(rel, 0, SEEK_END), 24576);
  ops.write(rel, bytes, 0, 8192, 0); // rewrites a block inside
  assert.equal(ops.llseek(rel, 0, SEEK_END), 24576);
  ops.write(rel, bytes, 0, 100, 40000); // past the end, leaving a hole
  assert.equal(ops.llseek(rel, 0, SEEK_END), 40100);
  assert.deepEqual(asked, ["base/5/16384"]);
  // Seeks from the start pass through, and so does a position before the start.
  assert.equal(ops.llseek(rel, 10, SEEK_SET), 10);
  assert.throws(() => ops.llseek(rel, -50000, SEEK_END), RangeError);
});

Deno.test("a size is asked again after a failed write, a close, a truncation, an unlink or a rename", () => {
  const { nodefs, asked, open, disk, failing } = fakeNodefs();
  rememberFileSizes(nodefs);
  const ops = nodefs.stream_ops;
  const a = open("a", 8192);
  const b = open("b", 0);
  const sizes = () => [ops.llseek(a, 0, SEEK_END), ops.llseek(b, 0, SEEK_END)];
  assert.deepEqual(sizes(), [8192, 0]);
  assert.equal(asked.length, 2);

  failing(true);
  assert.throws(() => ops.write(a, bytes, 0, 8192, 8192), /ENOSPC/);
  failing(false);
  assert.deepEqual(sizes(), [8193, 0]); // the byte that got there is seen
  assert.deepEqual(asked.slice(2), ["a"]);

  ops.close(b);
  disk.set("b", 4096); // as another open of the file could leave it
  assert.deepEqual(sizes(), [8193, 4096]);
  assert.deepEqual(asked.slice(3), ["b"]);

  nodefs.stream_ops.setattr!(a as never, { size: 0 } as never); // ftruncate
  assert.deepEqual(sizes(), [0, 4096]);
  assert.deepEqual(asked.slice(4), ["a", "b"]);

  nodefs.node_ops.setattr(b.node as never, { size: 100 } as never); // truncate by path
  assert.deepEqual(sizes(), [0, 100]);
  assert.deepEqual(asked.slice(6), ["a", "b"]);

  for (const name of ["unlink", "rename", "rmdir"] as const) {
    nodefs.node_ops[name]();
    sizes();
  }
  assert.deepEqual(asked.slice(8), ["a", "b", "a", "b", "a", "b"]);
});

Deno.test("a directory is not remembered, and remembering twice wraps nothing twice", () => {
  const { nodefs, asked, open } = fakeNodefs();
  rememberFileSizes(nodefs);
  const llseek = nodefs.stream_ops.llseek;
  rememberFileSizes(nodefs);
  assert.equal(nodefs.stream_ops.llseek, llseek);
  const dir = open("base/5", 4096, 0o40755);
  nodefs.stream_ops.llseek(dir, 0, SEEK_END);
  nodefs.stream_ops.llseek(dir, 0, SEEK_END);
  assert.deepEqual(asked, ["base/5", "base/5"]);
});

interface EmscriptenFs {
  streams: ({ node: { mode: number }; nfd?: number; stream_ops: unknown } | null)[];
}

Deno.test("on PGlite, every open data file's remembered size is its size on disk after relations grow, shrink and are rewritten", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vinsight-file-sizes-" });
  try {
    const pg = new PGlite(dir);
    await pg.waitReady;
    const nodefs = pg.Module.NODEFS as unknown as NodeFileSystem;
    // Counts the seeks to the end PostgreSQL makes, and those that reach NODEFS's fstat.
    let reachedDisk = 0;
    let seeks = 0;
    const own = nodefs.stream_ops.llseek;
    nodefs.stream_ops.llseek = (stream, offset, whence) => {
      if (whence === SEEK_END) reachedDisk++;
      return own(stream, offset, whence);
    };
    rememberFileSizes(nodefs);
    const remembered = nodefs.stream_ops.llseek;
    nodefs.stream_ops.llseek = (stream, offset, whence) => {
      if (whence === SEEK_END) seeks++;
      return remembered(stream, offset, whence);
    };

    for (
      const sql of [
        "CREATE TABLE t (id int PRIMARY KEY, pad text)",
        "INSERT INTO t SELECT i, repeat('x', 200) FROM generate_series(1, 20000) AS i",
        "DELETE FROM t WHERE id > 500",
        "VACUUM t", // gives the emptied end of the table back: a truncation
        "INSERT INTO t SELECT i, repeat('y', 300) FROM generate_series(501, 8000) AS i",
        "CREATE TABLE u AS SELECT * FROM t",
        "TRUNCATE u", // a new file, the old one unlinked
        "INSERT INTO u SELECT * FROM t WHERE id % 3 = 0",
        "VACUUM FULL t", // rewritten into new files
        "CHECKPOINT",
      ]
    ) await pg.exec(sql);
    assert.ok(
      seeks > reachedDisk * 2,
      `${seeks} seeks to the end, ${reachedDisk} reached the disk`,
    );

    const fs = (pg.Module as unknown as { FS: EmscriptenFs }).FS;
    let compared = 0;
    for (const stream of fs.streams) {
      if (!stream || stream.stream_ops !== nodefs.stream_ops || stream.nfd === undefined) continue;
      if ((stream.node.mode & 0o170000) !== 0o100000) continue;
      const onDisk = fstatSync(stream.nfd).size;
      assert.equal(nodefs.stream_ops.llseek(stream, 0, SEEK_END), onDisk);
      compared++;
    }
    assert.ok(compared >= 5, `compared ${compared} open files`);

    const sizes = async () =>
      (await pg.query<{ path: string; size: number }>(
        `SELECT pg_relation_filepath(c) AS path, pg_relation_size(c)::int AS size
         FROM unnest(ARRAY['t'::regclass, 't_pkey'::regclass, 'u'::regclass]) AS c`,
      )).rows;
    for (const { path, size } of await sizes()) {
      assert.equal((await Deno.stat(`${dir}/${path}`)).size, size, path);
    }
    const counts = async (db: PGlite) =>
      (await db.query<{ t: number; u: number }>(
        "SELECT (SELECT count(*)::int FROM t) AS t, (SELECT count(*)::int FROM u) AS u",
      )).rows[0];
    assert.deepEqual(await counts(pg), { t: 8000, u: 2666 });
    await pg.close();

    const again = new PGlite(dir);
    assert.deepEqual(await counts(again), { t: 8000, u: 2666 });
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
