/**
 * Row helpers shared by every query module: timestamps to RFC 3339 and the
 * canonical UUID form of ids (API.md: anything else is "not found").
 */

/** A canonical, lower-case UUID. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `id` is a canonical UUID; anything else is treated as not found. */
export function isUuid(id: string): boolean {
  return UUID_PATTERN.test(id);
}

/** A timestamp column (a Date, or already a string) as RFC 3339, or `null`. */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
