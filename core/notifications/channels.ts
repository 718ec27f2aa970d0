import type { Queryable } from "../db/database.ts";
import { foreignIds, isUuid } from "../db/rows.ts";
import {
  CHANNEL_COLUMNS,
  type ChannelForSending,
  channelFromRow,
  type ChannelType,
  type NotificationChannel,
  SECRET_FIELDS,
  SECRET_MASK,
} from "./channel.ts";
import { newWebhookSecret } from "./senders/sign_webhook.ts";

/** Lists a tenant's channels, oldest first. */
export async function listChannels(
  db: Queryable,
  tenantId: number,
): Promise<NotificationChannel[]> {
  const rows = await db.query(
    `SELECT ${CHANNEL_COLUMNS} FROM notification_channels WHERE tenant_id = $1 ORDER BY created_at, id`,
    [tenantId],
  );
  return rows.map(channelFromRow);
}

/** One channel of the tenant with its real config (for merging a PATCH), or `null`. */
export async function getChannelConfig(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<{ channel: NotificationChannel; config: Record<string, unknown> } | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.query(
    `SELECT ${CHANNEL_COLUMNS} FROM notification_channels WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return row
    ? { channel: channelFromRow(row), config: row.config as Record<string, unknown> }
    : null;
}

/** A masked field in a PATCH keeps the stored secret. */
export function mergeSecrets(
  type: ChannelType,
  stored: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...next };
  for (const field of SECRET_FIELDS[type]) {
    if (out[field] === SECRET_MASK) out[field] = stored[field];
  }
  return out;
}

/** Creates a channel; a webhook gets its signing secret, answered once. */
export async function createChannel(
  db: Queryable,
  tenantId: number,
  input: {
    name: string;
    type: ChannelType;
    config: Record<string, unknown>;
    is_default: boolean;
    enabled: boolean;
  },
): Promise<{ channel: NotificationChannel; secret: string | null }> {
  const secret = input.type === "webhook" ? newWebhookSecret() : null;
  const [row] = await db.query(
    `INSERT INTO notification_channels (tenant_id, name, type, config, secret, is_default, enabled)
     VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7) RETURNING ${CHANNEL_COLUMNS}`,
    [
      tenantId,
      input.name,
      input.type,
      JSON.stringify(input.config),
      secret,
      input.is_default,
      input.enabled,
    ],
  );
  return { channel: channelFromRow(row), secret };
}

/** Updates the given fields; a change to webhook gives it a signing secret if it had none. */
export async function updateChannel(
  db: Queryable,
  tenantId: number,
  id: string,
  patch: {
    name?: string;
    type?: ChannelType;
    config?: Record<string, unknown>;
    is_default?: boolean;
    enabled?: boolean;
  },
): Promise<NotificationChannel | null> {
  const [row] = await db.query(
    `UPDATE notification_channels SET
       name = coalesce($3, name),
       type = coalesce($4, type),
       config = coalesce($5::text::jsonb, config),
       is_default = coalesce($6, is_default),
       enabled = coalesce($7, enabled),
       secret = CASE WHEN coalesce($4, type) = 'webhook' THEN coalesce(secret, $8) ELSE NULL END,
       updated_at = now()
     WHERE tenant_id = $1 AND id = $2 RETURNING ${CHANNEL_COLUMNS}`,
    [
      tenantId,
      id,
      patch.name ?? null,
      patch.type ?? null,
      patch.config ? JSON.stringify(patch.config) : null,
      patch.is_default ?? null,
      patch.enabled ?? null,
      newWebhookSecret(),
    ],
  );
  return row ? channelFromRow(row) : null;
}

/** Deletes a channel (its deliveries go with it); false when it is not the tenant's. */
export async function deleteChannel(db: Queryable, tenantId: number, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query(
    "DELETE FROM notification_channels WHERE tenant_id = $1 AND id = $2 RETURNING 1",
    [tenantId, id],
  );
  return rows.length > 0;
}

/** A new signing secret for a webhook channel: `"missing"`, `"not_webhook"`, or the secret. */
export async function rotateSecret(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<string | "missing" | "not_webhook"> {
  if (!isUuid(id)) return "missing";
  const secret = newWebhookSecret();
  const [row] = await db.query<{ type: string; secret: string | null }>(
    `UPDATE notification_channels SET secret = CASE WHEN type = 'webhook' THEN $3 ELSE secret END,
       updated_at = CASE WHEN type = 'webhook' THEN now() ELSE updated_at END
     WHERE tenant_id = $1 AND id = $2 RETURNING type, secret`,
    [tenantId, id, secret],
  );
  if (!row) return "missing";
  return row.type === "webhook" ? secret : "not_webhook";
}

/** The ids among `ids` that are not channels of the tenant. */
export function foreignChannelIds(
  db: Queryable,
  tenantId: number,
  ids: string[],
): Promise<string[]> {
  return foreignIds(db, "notification_channels", tenantId, ids);
}

/** Maps a channel row joined into a claim to what a sender needs. */
export function channelForSending(row: Record<string, unknown>): ChannelForSending {
  return {
    id: row.channel_id as string,
    tenant_id: row.tenant_id as number,
    name: row.channel_name as string,
    type: row.type as ChannelType,
    config: row.config as Record<string, unknown>,
    secret: (row.secret as string | null) ?? null,
    enabled: row.enabled as boolean,
  };
}
