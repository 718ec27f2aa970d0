import type { Database } from "../db/database.ts";

/**
 * Returns `JWT_SECRET` when set; otherwise the secret stored in the database,
 * generating and storing it the first time. Instances sharing one PostgreSQL
 * therefore agree on it, and restarts keep sessions valid.
 */
export async function loadJwtSecret(
  db: Database,
  configured: string | undefined,
): Promise<string> {
  if (configured) return configured;
  const fresh = btoaUrl(crypto.getRandomValues(new Uint8Array(48)));
  await db.query(
    "INSERT INTO app_secrets (name, value) VALUES ('jwt_secret', $1) ON CONFLICT (name) DO NOTHING",
    [fresh],
  );
  const rows = await db.query<{ value: string }>(
    "SELECT value FROM app_secrets WHERE name = 'jwt_secret'",
  );
  return rows[0].value;
}

function btoaUrl(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll(
    "/",
    "_",
  )
    .replace(/=+$/, "");
}
