import { z } from "zod";
import type { Queryable } from "../db/database.ts";
import { iso, isUuid } from "../db/rows.ts";
import { announceCredentialsEnded } from "./sessions.ts";
import { sha256Hex } from "./secret_hash.ts";

/** An API key as API.md lists it (never the key itself). */
export interface ApiKey {
  id: string;
  name: string;
  scope: "read" | "write";
  /** Identifies the key in lists and logs: `vik_<prefix>_…`. */
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** The body of `POST /api/v1/api-keys`. */
export const apiKeyCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  scope: z.enum(["read", "write"], { message: "must be read or write" }),
  expires_at: z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp" }).nullable()
    .default(null).refine((v) => v === null || Date.parse(v) > Date.now(), "must be in the future"),
});

const COLUMNS = "id, name, scope, prefix, created_at, expires_at, last_used_at";

function keyFromRow(r: Record<string, unknown>): ApiKey {
  return {
    id: r.id as string,
    name: r.name as string,
    scope: r.scope as ApiKey["scope"],
    prefix: r.prefix as string,
    created_at: iso(r.created_at)!,
    expires_at: iso(r.expires_at),
    last_used_at: iso(r.last_used_at),
  };
}

function randomText(bytes: number): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))))
    .replaceAll("+", "").replaceAll("/", "").replaceAll("=", "");
}

/** Creates a key; the key itself (`vik_<prefix>_<secret>`) is answered this once. */
export async function createApiKey(
  db: Queryable,
  tenantId: number,
  userId: string,
  input: z.infer<typeof apiKeyCreateSchema>,
): Promise<ApiKey & { key: string }> {
  const prefix = randomText(9).slice(0, 10).toLowerCase().padEnd(10, "0");
  const key = `vik_${prefix}_${randomText(30)}`;
  const [row] = await db.query(
    `INSERT INTO api_keys (tenant_id, created_by, name, scope, prefix, key_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [tenantId, userId, input.name, input.scope, prefix, await sha256Hex(key), input.expires_at],
  );
  return { ...keyFromRow(row), key };
}

/** A tenant's keys, oldest first, without the keys. */
export async function listApiKeys(db: Queryable, tenantId: number): Promise<ApiKey[]> {
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`,
    [tenantId],
  );
  return rows.map(keyFromRow);
}

/** Deletes a key: it stops working at once, on every instance (each request looks it up). */
export async function deleteApiKey(db: Queryable, tenantId: number, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query("DELETE FROM api_keys WHERE tenant_id = $1 AND id = $2 RETURNING 1", [
    tenantId,
    id,
  ]);
  if (rows.length === 0) return false;
  await announceCredentialsEnded(db, { api_key_id: id });
  return true;
}

/**
 * Whom a presented key speaks for, or `null` (unknown, deleted, expired,
 * tampered). Looked up by its prefix and compared by hash on every request,
 * so a deletion takes effect at once everywhere; `last_used_at` is written
 * at most once a minute.
 */
export async function verifyApiKey(
  db: Queryable,
  key: string,
): Promise<
  { id: string; name: string; tenantId: number; userId: string; scope: "read" | "write" } | null
> {
  const m = /^vik_([a-z0-9]{10})_[A-Za-z0-9]{20,60}$/.exec(key);
  if (!m) return null;
  const [row] = await db.query<{
    id: string;
    name: string;
    tenant_id: number;
    created_by: string;
    scope: "read" | "write";
    key_hash: string;
    expired: boolean;
    stale: boolean;
  }>(
    `SELECT id, name, tenant_id, created_by, scope, key_hash,
       (expires_at IS NOT NULL AND expires_at <= now()) AS expired,
       (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
     FROM api_keys WHERE prefix = $1`,
    [m[1]],
  );
  if (!row || row.expired || row.key_hash !== await sha256Hex(key)) return null;
  if (row.stale) await db.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [row.id]);
  return {
    id: row.id,
    name: row.name,
    tenantId: row.tenant_id,
    userId: row.created_by,
    scope: row.scope,
  };
}
