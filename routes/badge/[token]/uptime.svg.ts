import { badgeConfig, badgeHandlers } from "../../../web/badge_response.ts";

export const config = badgeConfig;

/** `GET /badge/:badge_token/uptime.svg`. */
export const handler = badgeHandlers("uptime");
