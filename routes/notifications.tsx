import type { NotificationChannel } from "../core/notifications/channel.ts";
import { listChannels } from "../core/notifications/channels.ts";
import NotificationChannels from "../islands/NotificationChannels.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

type Data = { channels: NotificationChannel[]; smtp: boolean };

/** `GET /notifications`: channels, tests, deliveries. */
export const handler: Handlers = {
  async GET(c) {
    const channels = await listChannels(c.var.deps.db, c.var.principal.tenantId);
    return c.var.render(
      { channels, smtp: Boolean(c.var.deps.config.smtpUrl) } satisfies Data,
      { title: "Notifications" },
    );
  },
};

/** The notification channels page. */
export default function NotificationsPage({ data }: PageProps<Data>) {
  return <Island name="NotificationChannels" component={NotificationChannels} props={data} />;
}
