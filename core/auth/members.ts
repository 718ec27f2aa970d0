import { z } from "zod";
import type { Database, Queryable } from "../db/database.ts";
import { iso } from "../db/rows.ts";
import { hasRole, type Role, ROLES } from "./roles.ts";
import { announceCredentialsEnded } from "./sessions.ts";

/** A member of a tenant as API.md lists it. */
export interface Member {
  user_id: string;
  email: string;
  role: Role;
  joined_at: string;
}

/** A role in a request body. */
export const roleSchema = z.enum(ROLES as [Role, ...Role[]], {
  message: "must be owner, admin, editor or viewer",
});

/** The body of `PATCH /api/v1/members/:user_id`. */
export const memberPatchSchema = z.strictObject({ role: roleSchema });

/** Why a change to the members was refused. */
export type MemberRefusal =
  | "not_found"
  | "admin_cannot_touch_owner"
  | "last_owner";

const COLUMNS = "m.user_id, u.email, m.role, m.joined_at";

function memberFromRow(r: Record<string, unknown>): Member {
  return {
    user_id: r.user_id as string,
    email: r.email as string,
    role: r.role as Role,
    joined_at: iso(r.joined_at)!,
  };
}

/** The tenant's members, in the order they joined. */
export async function listMembers(db: Queryable, tenantId: number): Promise<Member[]> {
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.tenant_id = $1 ORDER BY m.joined_at, m.user_id`,
    [tenantId],
  );
  return rows.map(memberFromRow);
}

/**
 * Locks the tenant's memberships and decides whether `actor` may change
 * `userId` to `role` (`null`: remove): an admin cannot touch an owner or make
 * one, and the last owner can be neither demoted nor removed.
 */
async function decide(
  tx: Queryable,
  tenantId: number,
  actor: Role,
  userId: string,
  role: Role | null,
): Promise<MemberRefusal | null> {
  const rows = await tx.query<{ user_id: string; role: Role }>(
    "SELECT user_id, role FROM memberships WHERE tenant_id = $1 FOR UPDATE",
    [tenantId],
  );
  const target = rows.find((r) => r.user_id === userId);
  if (!target) return "not_found";
  if (!hasRole(actor, "owner") && (target.role === "owner" || role === "owner")) {
    return "admin_cannot_touch_owner";
  }
  const owners = rows.filter((r) => r.role === "owner").length;
  if (target.role === "owner" && role !== "owner" && owners === 1) return "last_owner";
  return null;
}

/** Changes a member's role, as `actor` (the asking member's role). */
export async function changeMemberRole(
  db: Database,
  tenantId: number,
  actor: Role,
  userId: string,
  role: Role,
): Promise<Member | MemberRefusal> {
  return await db.transaction(async (tx) => {
    const refusal = await decide(tx, tenantId, actor, userId, role);
    if (refusal) return refusal;
    await tx.query("UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2", [
      tenantId,
      userId,
      role,
    ]);
    const [row] = await tx.query(
      `SELECT ${COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.tenant_id = $1 AND m.user_id = $2`,
      [tenantId, userId],
    );
    return memberFromRow(row);
  });
}

/**
 * Removes a member, as `actor`. The member's tokens for this tenant stop
 * working at once: every request looks its membership up.
 */
export async function removeMember(
  db: Database,
  tenantId: number,
  actor: Role,
  userId: string,
): Promise<MemberRefusal | null> {
  return await db.transaction(async (tx) => {
    const refusal = await decide(tx, tenantId, actor, userId, null);
    if (refusal) return refusal;
    await tx.query("DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2", [
      tenantId,
      userId,
    ]);
    await tx.query("DELETE FROM stream_tickets WHERE tenant_id = $1 AND user_id = $2", [
      tenantId,
      userId,
    ]);
    // Delivered at commit: every instance ends the streams the member opened here.
    await announceCredentialsEnded(tx, { user_id: userId, tenant_id: tenantId });
    return null;
  });
}
