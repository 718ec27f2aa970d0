import type { Config } from "../core/config.ts";
import type { ChannelType } from "../core/notifications/channel.ts";
import { CONFIG_SCHEMAS, URL_FIELDS } from "../core/notifications/schema.ts";
import { validationError, zodDetails } from "./body.ts";
import { assertPublicTarget } from "./target_policy.ts";

/**
 * Checks a channel's config against its type (API.md), answering `400` with
 * the fields under `config.`: an email channel needs `SMTP_URL` on the
 * server, and every URL is checked like a monitor's target.
 */
export async function checkChannelConfig(
  config: Config,
  type: ChannelType,
  value: Record<string, unknown>,
  what: string,
): Promise<Record<string, unknown>> {
  if (type === "email" && !config.smtpUrl) {
    throw validationError(what, [{
      path: "type",
      message: "email channels need SMTP_URL to be set on this server",
    }]);
  }
  const parsed = CONFIG_SCHEMAS[type].safeParse(value);
  if (!parsed.success) {
    throw validationError(
      what,
      zodDetails(parsed.error).map((d) => ({ ...d, path: d.path ? `config.${d.path}` : "config" })),
    );
  }
  for (const field of URL_FIELDS) {
    const url = parsed.data[field];
    if (typeof url === "string") {
      try {
        await assertPublicTarget(config, url, what);
      } catch (e) {
        const err = e as { details?: { path: string; message: string }[] };
        throw validationError(what, [{
          path: `config.${field}`,
          message: err.details?.[0]?.message ?? "is not allowed",
        }]);
      }
    }
  }
  return parsed.data;
}
