import { z } from "zod";
import type { Database, Queryable } from "../db/database.ts";
import { iso, isUuid } from "../db/rows.ts";
import { EmailTakenError, normalizeEmail, type Tenant, type User } from "./accounts.ts";
import { roleSchema } from "./members.ts";
import type { Role } from "./roles.ts";
import { sha256Hex } from "./secret_hash.ts";

/** An invitation as API.md lists it (never its token). */
export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expires_at: string;
  created_at: string;
}

/** How long an invitation can be accepted (API.md). */
export const INVITATION_TTL_DAYS = 7;

/** The body of `POST /api/v1/invitations`. */
export const invitationCreateSchema = z.strictObject({
  email: z.string().trim().max(254, "must be at most 254 characters").pipe(
    z.email("must be an email address"),
  ),
  role: roleSchema,
});

/** The body of `POST /api/v1/auth/accept-invitation`. */
export const acceptInvitationSchema = z.strictObject({
  token: z.string().max(200, "must be at most 200 characters"),
  password: z.string().max(200, "must be at most 200 characters"),
});

const COLUMNS = "id, email, role, expires_at, created_at";

function invitationFromRow(r: Record<string, unknown>): Invitation {
  return {
    id: r.id as string,
    email: r.email as string,
    role: r.role as Role,
    expires_at: iso(r.expires_at)!,
    created_at: iso(r.created_at)!,
  };
}

/** Thrown when the invited email is already a member of the tenant. */
export class AlreadyMemberError extends Error {
  override name = "AlreadyMemberError";
}

/** Invites an email with a role; the token (`vii_…`) is answered this once. */
export async function createInvitation(
  db: Queryable,
  tenantId: number,
  invitedBy: string,
  input: z.infer<typeof invitationCreateSchema>,
): Promise<Invitation & { token: string }> {
  const email = normalizeEmail(input.email);
  const member = await db.query(
    `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.tenant_id = $1 AND lower(u.email) = $2`,
    [tenantId, email],
  );
  if (member.length) throw new AlreadyMemberError(email);
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = "vii_" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const [row] = await db.query(
    `INSERT INTO invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6::int)) RETURNING ${COLUMNS}`,
    [tenantId, email, input.role, await sha256Hex(token), invitedBy, INVITATION_TTL_DAYS],
  );
  return { ...invitationFromRow(row), token };
}

/** The tenant's invitations not yet accepted (expired ones too, until deleted), newest first. */
export async function listInvitations(db: Queryable, tenantId: number): Promise<Invitation[]> {
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM invitations WHERE tenant_id = $1 AND accepted_at IS NULL
     ORDER BY created_at DESC, id`,
    [tenantId],
  );
  return rows.map(invitationFromRow);
}

/** Withdraws an invitation; `false` when the tenant has no such one. */
export async function deleteInvitation(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query(
    "DELETE FROM invitations WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL RETURNING id",
    [tenantId, id],
  );
  return rows.length > 0;
}

/** An invitation that can still be accepted, found by its token, or `null`. */
export async function findOpenInvitation(
  db: Queryable,
  token: string,
): Promise<{ id: string; tenantId: number; email: string; role: Role } | null> {
  if (!/^vii_[0-9a-f]{64}$/.test(token)) return null;
  const [row] = await db.query<{ id: string; tenant_id: number; email: string; role: Role }>(
    `SELECT id, tenant_id, email, role FROM invitations
     WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()`,
    [await sha256Hex(token)],
  );
  return row ? { id: row.id, tenantId: row.tenant_id, email: row.email, role: row.role } : null;
}

/**
 * Uses up an invitation and makes its email a member: `newPasswordHash`
 * creates the account first. `null` when the invitation was used, withdrawn
 * or expired meanwhile; {@linkcode EmailTakenError} when an account for the
 * email was created meanwhile. All or nothing.
 */
export async function acceptInvitation(
  db: Database,
  invitationId: string,
  account: { userId: string } | { newPasswordHash: string },
): Promise<{ user: User; tenant: Tenant } | null> {
  try {
    return await joinTenant(db, invitationId, account);
  } catch (e) {
    // An account for the email was made between the caller's look-up and this insert:
    // nothing was accepted; the invitee accepts again with that account's password.
    if ((e as { code?: string }).code === "23505" && "newPasswordHash" in account) {
      throw new EmailTakenError("an account with the invited email exists now");
    }
    throw e;
  }
}

function joinTenant(
  db: Database,
  invitationId: string,
  account: { userId: string } | { newPasswordHash: string },
): Promise<{ user: User; tenant: Tenant } | null> {
  return db.transaction(async (tx) => {
    const [inv] = await tx.query<{ tenant_id: number; email: string; role: Role }>(
      `UPDATE invitations SET accepted_at = now()
       WHERE id = $1 AND accepted_at IS NULL AND expires_at > now()
       RETURNING tenant_id, email, role`,
      [invitationId],
    );
    if (!inv) return null;
    let userId: string;
    if ("userId" in account) userId = account.userId;
    else {
      const [made] = await tx.query<{ id: string }>(
        "INSERT INTO users (tenant_id, email, password_hash) VALUES ($1, $2, $3) RETURNING id",
        [inv.tenant_id, inv.email, account.newPasswordHash],
      );
      userId = made.id;
    }
    await tx.query(
      `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, user_id) DO NOTHING`,
      [inv.tenant_id, userId, inv.role],
    );
    const [row] = await tx.query<{ email: string; role: Role; name: string }>(
      `SELECT u.email, m.role, t.name FROM memberships m JOIN users u ON u.id = m.user_id
       JOIN tenants t ON t.id = m.tenant_id WHERE m.tenant_id = $1 AND m.user_id = $2`,
      [inv.tenant_id, userId],
    );
    return {
      user: { id: userId, email: row.email, role: row.role },
      tenant: { id: inv.tenant_id, name: row.name },
    };
  });
}
