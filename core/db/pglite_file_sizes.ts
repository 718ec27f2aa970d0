/** The parts of an Emscripten file-system node this module reads. */
interface FsNode {
  mode: number;
}

/** An open file of Emscripten's file system. */
interface FsStream {
  node: FsNode;
}

type Operation = (...args: never[]) => unknown;

/** Emscripten's NODEFS: the file system that keeps PGlite's data directory on disk. */
export interface NodeFileSystem {
  stream_ops: {
    llseek(stream: FsStream, offset: number, whence: number): number;
    write(
      stream: FsStream,
      buffer: Uint8Array,
      offset: number,
      length: number,
      position: number,
    ): number;
    close(stream: FsStream): void;
    setattr?: Operation;
  };
  node_ops: Record<"setattr" | "unlink" | "rename" | "rmdir", Operation>;
}

const SEEK_END = 2;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const REMEMBERED = Symbol("file sizes remembered");

/**
 * PostgreSQL asks a relation file's size (a seek to its end) each time a
 * statement reads or extends the relation: fourteen times for one stored
 * check. Emscripten's NODEFS answers each seek with `fs.fstatSync`, which
 * Deno turns into a full `fs.Stats` (dates, getters): 30 % of the JavaScript
 * garbage of a stored check, in a thread that also serves the live streams
 * (docs/BENCHMARKS.md, "PGlite's file sizes remembered").
 *
 * This remembers each regular file's size from the first such seek and keeps
 * it exact from then on, since this process is the only writer of its data
 * directory (`data_dir_lock.ts`): a write raises it to where the write ended,
 * a write that fails forgets it, and closing the file forgets it. Anything
 * else that can change a size or which file a node is — truncating, through a
 * stream or by path, unlinking, renaming, removing a directory — forgets every
 * size, so the next seek asks the file system again. Seeks from the start or
 * the current position, and every `stat`, are NODEFS's own.
 *
 * The operations are replaced on `nodefs` itself, the one object every node
 * and stream of that PGlite instance shares; applying it twice changes
 * nothing.
 */
export function rememberFileSizes(nodefs: NodeFileSystem): void {
  const marked = nodefs as NodeFileSystem & { [REMEMBERED]?: true };
  if (marked[REMEMBERED]) return;
  marked[REMEMBERED] = true;
  let sizes = new WeakMap<FsNode, number>();
  const forgetAll = () => {
    sizes = new WeakMap();
  };
  const streams = nodefs.stream_ops;
  const { llseek, write, close } = streams;

  streams.llseek = (stream, offset, whence) => {
    if (whence !== SEEK_END || (stream.node.mode & S_IFMT) !== S_IFREG) {
      return llseek(stream, offset, whence);
    }
    const size = sizes.get(stream.node);
    // A position before the start is NODEFS's error to raise.
    if (size === undefined || size + offset < 0) {
      const position = llseek(stream, offset, whence);
      sizes.set(stream.node, position - offset);
      return position;
    }
    return size + offset;
  };

  streams.write = (stream, buffer, offset, length, position) => {
    let written;
    try {
      written = write(stream, buffer, offset, length, position);
    } catch (e) {
      sizes.delete(stream.node); // part of it may have reached the file
      throw e;
    }
    const size = sizes.get(stream.node);
    if (size !== undefined) {
      if (typeof position === "number") sizes.set(stream.node, Math.max(size, position + written));
      else sizes.delete(stream.node);
    }
    return written;
  };

  streams.close = (stream) => {
    sizes.delete(stream.node);
    close(stream);
  };

  const forgetting = <F extends Operation>(operation: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      forgetAll();
      return operation.apply(this, args);
    } as F;
  if (streams.setattr) streams.setattr = forgetting(streams.setattr);
  const nodes = nodefs.node_ops;
  for (const name of ["setattr", "unlink", "rename", "rmdir"] as const) {
    nodes[name] = forgetting(nodes[name]);
  }
}
