import { z } from "zod";
import type { Database, Queryable } from "../db/database.ts";
import type { Role } from "./roles.ts";
import type { TokenClaims } from "./tokens.ts";

/**
 * The role a token acts with, or `null` when its session has ended or its
 * user is no longer a member of its tenant. Sessions are signed tokens, so
 * ending them is a number in the user's row: every token carries the user's
 * `token_generation` at its issue, and is good only while that is still the
 * user's generation, or while it is the one session kept by the last change.
 * Each request reads the row, so an ending (or a removal from the tenant)
 * takes effect at once on every instance.
 */
export async function sessionRole(db: Queryable, t: TokenClaims): Promise<Role | null> {
  const [row] = await db.query<
    { token_generation: number; kept_session: string | null; role: Role }
  >(
    `SELECT u.token_generation, u.kept_session, m.role
     FROM users u JOIN memberships m ON m.user_id = u.id AND m.tenant_id = $2
     WHERE u.id = $1`,
    [t.userId, t.tenantId],
  );
  if (!row) return null;
  const live = row.token_generation === t.generation ||
    (t.sessionId !== "" && row.kept_session === t.sessionId);
  return live ? row.role : null;
}

/** The role `userId` has in `tenantId`, or `null` when not a member (stream tickets). */
export async function memberRole(
  db: Queryable,
  userId: string,
  tenantId: number,
): Promise<Role | null> {
  const [row] = await db.query<{ role: Role }>(
    "SELECT role FROM memberships WHERE user_id = $1 AND tenant_id = $2",
    [userId, tenantId],
  );
  return row?.role ?? null;
}

/** The generation a new token of `userId` is issued in. */
export async function tokenGeneration(db: Queryable, userId: string): Promise<number> {
  const [row] = await db.query<{ token_generation: number }>(
    "SELECT token_generation FROM users WHERE id = $1",
    [userId],
  );
  return row?.token_generation ?? 0;
}

/**
 * Ends every session of `userId` but `keep` (a session id, or `null` for all)
 * and, when given, sets a new password hash in the same statement. Unredeemed
 * stream tickets of the user go too (a kept session asks for a new one), and
 * the streams the ended sessions opened are ended on every instance.
 */
export async function endSessions(
  db: Queryable,
  userId: string,
  opts: { keep: string | null; passwordHash?: string },
): Promise<void> {
  await db.query(
    `UPDATE users SET token_generation = token_generation + 1, kept_session = $2,
       password_hash = COALESCE($3, password_hash)
     WHERE id = $1`,
    [userId, opts.keep, opts.passwordHash ?? null],
  );
  await db.query("DELETE FROM stream_tickets WHERE user_id = $1", [userId]);
  await announceCredentialsEnded(db, { user_id: userId, keep_session: opts.keep });
}

/** The LISTEN/NOTIFY channel telling every instance that credentials stopped working. */
export const CREDENTIALS_CHANNEL = "vinsight_credentials";

const endingSchema = z.strictObject({
  user_id: z.string().optional(),
  tenant_id: z.number().int().optional(),
  api_key_id: z.string().optional(),
  keep_session: z.string().nullable().optional(),
});

/** Credentials that stopped working: a user's sessions (but `keep_session`), a membership, a key. */
export type CredentialsEnded = z.infer<typeof endingSchema>;

/**
 * Tells every instance (itself included) that credentials stopped working, so
 * each ends the event streams they opened: requests are refused by their
 * own lookup, but an open stream made no request since.
 */
export async function announceCredentialsEnded(
  db: Queryable,
  ended: CredentialsEnded,
): Promise<void> {
  await db.query("SELECT pg_notify($1, $2)", [CREDENTIALS_CHANNEL, JSON.stringify(ended)]);
}

/** Calls `onEnded` for every announcement of any instance. Resolves to a function that stops. */
export async function listenForCredentialsEnded(
  db: Database,
  onEnded: (ended: CredentialsEnded) => void,
  onError: (e: unknown) => void,
): Promise<() => Promise<void>> {
  return await db.listen(CREDENTIALS_CHANNEL, (payload) => {
    try {
      onEnded(endingSchema.parse(JSON.parse(payload)));
    } catch (e) {
      onError(e);
    }
  });
}
