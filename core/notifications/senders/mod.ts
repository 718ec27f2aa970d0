import type { ChannelType } from "../channel.ts";
import { sendDiscord } from "./discord.ts";
import { sendEmail } from "./email.ts";
import { sendNtfy } from "./ntfy.ts";
import { sendPagerDuty } from "./pagerduty.ts";
import { sendSlack } from "./slack.ts";
import { sendTelegram } from "./telegram.ts";
import type { Sender } from "./types.ts";
import { sendWebhook } from "./webhook.ts";

export type { SendContext, Sender } from "./types.ts";

/** One sender per channel type. */
export const SENDERS: Record<ChannelType, Sender> = {
  webhook: sendWebhook,
  slack: sendSlack,
  discord: sendDiscord,
  telegram: sendTelegram,
  ntfy: sendNtfy,
  email: sendEmail,
  pagerduty: sendPagerDuty,
};
