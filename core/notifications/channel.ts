import { iso } from "../db/rows.ts";

/** The channel types of API.md. */
export const CHANNEL_TYPES = [
  "webhook",
  "slack",
  "discord",
  "telegram",
  "ntfy",
  "email",
  "pagerduty",
] as const;
export type ChannelType = typeof CHANNEL_TYPES[number];

/** Channels a person reads: a burst for one of them is grouped into one message. */
export const HUMAN_TYPES: ReadonlySet<ChannelType> = new Set([
  "slack",
  "discord",
  "telegram",
  "ntfy",
  "email",
]);

/** What a secret config field reads in every answer. */
export const SECRET_MASK = "********";

/** The config fields of each type that are secret: never answered, kept on a masked PATCH. */
export const SECRET_FIELDS: Record<ChannelType, readonly string[]> = {
  webhook: [],
  slack: ["webhook_url"],
  discord: ["webhook_url"],
  telegram: ["bot_token"],
  ntfy: ["token"],
  email: [],
  pagerduty: ["routing_key"],
};

/** A notification channel as API.md shows it (secrets masked). */
export interface NotificationChannel {
  id: string;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  is_default: boolean;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

/** A channel with its real config and signing secret, for the dispatcher only. */
export interface ChannelForSending {
  id: string;
  tenant_id: number;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  secret: string | null;
  enabled: boolean;
}

/** The columns {@linkcode channelFromRow} reads. */
export const CHANNEL_COLUMNS =
  "id, name, type, config, is_default, enabled, created_at, updated_at";

/** Masks the secret fields of a config. */
export function maskConfig(type: ChannelType, config: Record<string, unknown>) {
  const out = { ...config };
  for (const field of SECRET_FIELDS[type]) {
    if (out[field] !== undefined && out[field] !== null) out[field] = SECRET_MASK;
  }
  return out;
}

/** Maps a `notification_channels` row to its API shape, secrets masked. */
export function channelFromRow(row: Record<string, unknown>): NotificationChannel {
  const type = row.type as ChannelType;
  return {
    id: row.id as string,
    name: row.name as string,
    type,
    config: maskConfig(type, row.config as Record<string, unknown>),
    is_default: row.is_default as boolean,
    enabled: row.enabled as boolean,
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
  };
}
