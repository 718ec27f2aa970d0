/** A member's role in a tenant (API.md), each including the ones below it. */
export type Role = "owner" | "admin" | "editor" | "viewer";

/** Every role, lowest first. */
export const ROLES: readonly Role[] = ["viewer", "editor", "admin", "owner"];

/** Whether `role` includes `needed` (an owner can do what an admin can, …). */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The role an API key acts with: `write` keys are editors, `read` keys viewers. */
export function keyRole(scope: "read" | "write"): Role {
  return scope === "write" ? "editor" : "viewer";
}
