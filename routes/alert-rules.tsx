import type { AlertRule } from "../core/alerts/alert_rule.ts";
import { listRules } from "../core/alerts/rules.ts";
import { listMonitors } from "../core/monitors/queries.ts";
import { listChannels } from "../core/notifications/channels.ts";
import AlertRulesEditor, { type ChannelChoice } from "../islands/AlertRulesEditor.tsx";
import { Island } from "../web/island.tsx";
import type { Handlers, PageProps } from "../web/route_types.ts";

type Data = {
  rules: AlertRule[];
  monitors: { id: string; name: string }[];
  channels: ChannelChoice[];
};

/** `GET /alert-rules`: the rules editor. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const tenantId = c.var.principal.tenantId;
    const [rules, monitors, channels] = await Promise.all([
      listRules(db, tenantId),
      listMonitors(db, tenantId),
      listChannels(db, tenantId),
    ]);
    return c.var.render(
      {
        rules,
        monitors: monitors.map((m) => ({ id: m.id, name: m.name })),
        channels: channels.map(({ id, name, type, is_default }) => ({
          id,
          name,
          type,
          is_default,
        })),
      } satisfies Data,
      { title: "Alert rules" },
    );
  },
};

/** Create, edit and delete rules. */
export default function AlertRulesPage({ data }: PageProps<Data>) {
  return <Island name="AlertRulesEditor" component={AlertRulesEditor} props={data} />;
}
