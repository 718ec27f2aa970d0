import type { Database, Queryable } from "../db/database.ts";
import { hashPassword } from "./password.ts";
import type { Role } from "./roles.ts";

/** A user as API.md shows it, with the role in the tenant at hand. */
export interface User {
  id: string;
  email: string;
  role: Role;
}

/** A tenant as API.md shows it. */
export interface Tenant {
  id: number;
  name: string;
}

/** Thrown by {@linkcode registerAccount} when the email is taken. */
export class EmailTakenError extends Error {
  override name = "EmailTakenError";
}

/** Normalises an email for storage and lookup: emails are case-insensitive. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates a tenant and its owner in one transaction. */
export async function registerAccount(
  db: Database,
  input: { email: string; password: string; tenantName: string },
): Promise<{ user: User; tenant: Tenant }> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const taken = await tx.query(
        "SELECT 1 FROM users WHERE lower(email) = $1",
        [email],
      );
      if (taken.length) throw new EmailTakenError(email);
      const [tenant] = await tx.query<Tenant>(
        "INSERT INTO tenants (name) VALUES ($1) RETURNING id, name",
        [input.tenantName],
      );
      const [user] = await tx.query<{ id: string; email: string }>(
        "INSERT INTO users (tenant_id, email, password_hash) VALUES ($1, $2, $3) RETURNING id, email",
        [tenant.id, email, passwordHash],
      );
      await tx.query(
        "INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')",
        [tenant.id, user.id],
      );
      return {
        user: { id: user.id, email: user.email, role: "owner" },
        tenant,
      };
    });
  } catch (e) {
    // Two registrations racing for one email: the unique index decides.
    if ((e as { code?: string }).code === "23505") {
      throw new EmailTakenError(email);
    }
    throw e;
  }
}

/**
 * The stored credentials for an email, or `null`, with the tenant a sign-in
 * opens: the one the user registered in while a member of it, else the one
 * joined first; `null` when the user belongs to no tenant any more.
 */
export async function findCredentials(
  db: Queryable,
  email: string,
): Promise<
  { user: User; tenant: Tenant | null; passwordHash: string } | null
> {
  const rows = await db.query<
    {
      id: string;
      email: string;
      password_hash: string;
      tenant_id: number | null;
      tenant_name: string | null;
      role: Role | null;
    }
  >(
    `SELECT u.id, u.email, u.password_hash, t.id AS tenant_id, t.name AS tenant_name, m.role
     FROM users u
     LEFT JOIN memberships m ON m.user_id = u.id
     LEFT JOIN tenants t ON t.id = m.tenant_id
     WHERE lower(u.email) = $1
     ORDER BY (m.tenant_id = u.tenant_id) DESC NULLS LAST, m.joined_at
     LIMIT 1`,
    [normalizeEmail(email)],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    user: { id: r.id, email: r.email, role: r.role ?? "viewer" },
    tenant: r.tenant_id === null ? null : { id: r.tenant_id, name: r.tenant_name! },
    passwordHash: r.password_hash,
  };
}

/** Every tenant `userId` belongs to, in the order joined. */
export async function tenantsOf(
  db: Queryable,
  userId: string,
): Promise<{ id: number; name: string; role: Role }[]> {
  return await db.query<{ id: number; name: string; role: Role }>(
    `SELECT t.id, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
     WHERE m.user_id = $1 ORDER BY m.joined_at, t.id`,
    [userId],
  );
}

/** The user and tenant a token names, or `null` when either is gone or the user left the tenant. */
export async function findAccount(
  db: Queryable,
  userId: string,
  tenantId: number,
): Promise<{ user: User; tenant: Tenant } | null> {
  const rows = await db.query<
    { id: string; email: string; tenant_id: number; tenant_name: string; role: Role }
  >(
    `SELECT u.id, u.email, t.id AS tenant_id, t.name AS tenant_name, m.role
     FROM users u JOIN memberships m ON m.user_id = u.id JOIN tenants t ON t.id = m.tenant_id
     WHERE u.id = $1 AND t.id = $2`,
    [userId, tenantId],
  );
  const r = rows[0];
  return r
    ? {
      user: { id: r.id, email: r.email, role: r.role },
      tenant: { id: r.tenant_id, name: r.tenant_name },
    }
    : null;
}
