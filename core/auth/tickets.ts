import type { Database } from "../db/database.ts";
import type { Principal } from "./tokens.ts";
import { sha256Hex } from "./secret_hash.ts";

/** Tickets are valid this long. */
export const TICKET_TTL_SECONDS = 60;

/**
 * Issues a single-use stream ticket. Only its SHA-256 is stored, in the
 * database, so any instance can redeem it and a database dump reveals none.
 */
export async function issueTicket(
  db: Database,
  principal: Principal,
): Promise<{ ticket: string; expiresAt: Date }> {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const ticket = Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  const rows = await db.query<{ expires_at: Date }>(
    `INSERT INTO stream_tickets (ticket_hash, tenant_id, user_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
    [
      await sha256Hex(ticket),
      principal.tenantId,
      principal.userId,
      TICKET_TTL_SECONDS,
    ],
  );
  return { ticket, expiresAt: rows[0].expires_at };
}

/** Redeems a ticket once: the row is deleted in the same statement that reads it. */
export async function redeemTicket(
  db: Database,
  ticket: string,
): Promise<Principal | null> {
  if (!/^[0-9a-f]{64}$/.test(ticket)) return null;
  const rows = await db.query<
    { tenant_id: number; user_id: string; live: boolean }
  >(
    `DELETE FROM stream_tickets WHERE ticket_hash = $1
     RETURNING tenant_id, user_id, expires_at > now() AS live`,
    [await sha256Hex(ticket)],
  );
  const row = rows[0];
  return row && row.live ? { tenantId: row.tenant_id, userId: row.user_id } : null;
}

/** Whom a ticket speaks for, without using it up (for `HEAD`). */
export async function peekTicket(
  db: Database,
  ticket: string,
): Promise<Principal | null> {
  if (!/^[0-9a-f]{64}$/.test(ticket)) return null;
  const rows = await db.query<{ tenant_id: number; user_id: string }>(
    `SELECT tenant_id, user_id FROM stream_tickets WHERE ticket_hash = $1 AND expires_at > now()`,
    [await sha256Hex(ticket)],
  );
  const row = rows[0];
  return row ? { tenantId: row.tenant_id, userId: row.user_id } : null;
}

/** Deletes expired tickets; run in the background. */
export async function pruneTickets(db: Database): Promise<void> {
  await db.query("DELETE FROM stream_tickets WHERE expires_at < now()");
}
