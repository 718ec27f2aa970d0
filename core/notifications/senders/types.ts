import type { ChannelForSending } from "../channel.ts";
import type { DeliveryKind } from "../delivery.ts";
import type { Mailer } from "../mailer.ts";
import type { NotificationPayload } from "../payload.ts";
import type { SendResult } from "../retry_policy.ts";

/** Everything one attempt needs. */
export interface SendContext {
  delivery: { id: string; kind: DeliveryKind; payload: NotificationPayload };
  channel: ChannelForSending;
  /** Links point here (`PUBLIC_URL`). */
  publicUrl: string;
  /** Ends the attempt (the 10 s timeout). */
  signal: AbortSignal;
  /** The SMTP sender, when `SMTP_URL` is set. */
  mailer: Mailer | null;
}

/** Sends one delivery over one channel type. */
export type Sender = (ctx: SendContext) => Promise<SendResult>;
