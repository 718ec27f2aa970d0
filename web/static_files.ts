import type { Hono } from "hono";
import type { AppEnv, StaticAssets } from "./app_env.ts";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  map: "application/json",
};

interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

/** 64-bit FNV-1a as hex: a content hash for cache busting, not for security. */
function hash(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

function readAll(dir: URL, prefix = ""): Map<string, Asset> {
  const out = new Map<string, Asset>();
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.isDirectory) {
      for (const [k, v] of readAll(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`)) {
        out.set(k, v);
      }
    } else if (e.isFile) {
      const ext = e.name.split(".").pop() ?? "";
      if (!TYPES[ext]) continue;
      const body = Deno.readFileSync(new URL(e.name, dir));
      out.set(`${prefix}${e.name}`, { body, type: TYPES[ext], etag: `"${hash(body)}"` });
    }
  }
  return out;
}

/**
 * Serves `static/` from memory: immutable caching for hashed URLs (`?v=`),
 * revalidation by ETag otherwise. The island bundle lives in `static/build/`.
 */
export function staticFiles(app: Hono<AppEnv>): StaticAssets {
  const assets = readAll(new URL("../static/", import.meta.url));
  app.get("/static/*", (c) => {
    const path = new URL(c.req.url).pathname.slice("/static/".length);
    const asset = assets.get(path);
    if (!asset) return c.text("Not found", 404);
    const versioned = new URL(c.req.url).searchParams.get("v") === asset.etag.slice(1, -1);
    const headers = {
      "Content-Type": asset.type,
      "ETag": asset.etag,
      "Cache-Control": versioned
        ? "public, max-age=31536000, immutable"
        : "public, max-age=300, must-revalidate",
    };
    if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, headers);
  });
  return {
    url: (path) => {
      const a = assets.get(path);
      return a ? `/static/${path}?v=${a.etag.slice(1, -1)}` : `/static/${path}`;
    },
    has: (path) => assets.has(path),
  };
}
