import { badgeConfig, badgeHandlers } from "../../../web/badge_response.ts";

export const config = badgeConfig;

/** `GET /badge/:badge_token/status.svg`. */
export const handler = badgeHandlers("status");
