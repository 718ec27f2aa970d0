import type { Queryable } from "../db/database.ts";
import { isUuid } from "../db/rows.ts";
import { HISTOGRAM_BOUNDS, percentileFromHistogram } from "../checks/rollups.ts";

/** Badge windows, in hours. */
export const BADGE_WINDOWS = { "24h": 24, "7d": 168, "30d": 720, "90d": 2160 } as const;
export type BadgeWindow = keyof typeof BADGE_WINDOWS;

const COLOURS = { green: "#2ea44f", yellow: "#dbab09", red: "#cf222e", grey: "#6e7781" };

function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/** A text's width in the badge font, roughly (Verdana 11 px averages 6.5 px a character). */
function textWidth(s: string): number {
  return Math.round([...s].length * 6.5) + 10;
}

/**
 * A flat two-part badge as SVG (label on grey, value on its colour), the way
 * README badges look. Pure; every text is escaped.
 */
export function renderBadge(label: string, value: string, colour: keyof typeof COLOURS): string {
  const lw = textWidth(label), vw = textWidth(value), w = lw + vw;
  const l = escapeXml(label), v = escapeXml(value);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${v}">` +
    `<title>${l}: ${v}</title>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3"/></clipPath><g clip-path="url(#r)">` +
    `<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${
      COLOURS[colour]
    }"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="14">${l}</text><text x="${lw + vw / 2}" y="14">${v}</text></g></svg>`;
}

/** The colour of an uptime percentage. */
export function uptimeColour(p: number | null): keyof typeof COLOURS {
  if (p === null) return "grey";
  if (p >= 99.9) return "green";
  if (p >= 99) return "yellow";
  return "red";
}

/** Turns a monitor's badges on with a new token (an old one stops working); `null` when absent. */
export async function enableBadge(
  db: Queryable,
  tenantId: number,
  monitorId: string,
): Promise<string | null> {
  if (!isUuid(monitorId)) return null;
  const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(15))))
    .replaceAll("+", "-").replaceAll("/", "_");
  const rows = await db.query(
    "UPDATE monitors SET badge_token = $3 WHERE tenant_id = $1 AND id = $2 RETURNING 1",
    [tenantId, monitorId, token],
  );
  return rows.length ? token : null;
}

/** Turns a monitor's badges off; false when absent. */
export async function disableBadge(
  db: Queryable,
  tenantId: number,
  monitorId: string,
): Promise<boolean> {
  if (!isUuid(monitorId)) return false;
  const rows = await db.query(
    "UPDATE monitors SET badge_token = NULL WHERE tenant_id = $1 AND id = $2 RETURNING 1",
    [tenantId, monitorId],
  );
  return rows.length > 0;
}

/** What a badge shows of the monitor its token names; `null` for an unknown token. */
export async function readBadge(
  db: Queryable,
  token: string,
  window: BadgeWindow,
): Promise<
  | { name: string; status: string; enabled: boolean; uptime: number | null; p95: number | null }
  | null
> {
  if (!/^[A-Za-z0-9_-]{16,40}$/.test(token)) return null;
  const [m] = await db.query<{ id: string; name: string; status: string; enabled: boolean }>(
    "SELECT id, name, status, enabled FROM monitors WHERE badge_token = $1",
    [token],
  );
  if (!m) return null;
  const rows = await db.query<{ checks: number; up: number; histogram: number[] }>(
    `SELECT checks, up, histogram FROM check_rollups
     WHERE monitor_id = $1 AND hour > now() - make_interval(hours => $2)`,
    [m.id, BADGE_WINDOWS[window]],
  );
  let checks = 0, up = 0;
  const histogram = new Array<number>(HISTOGRAM_BOUNDS.length).fill(0);
  for (const r of rows) {
    checks += Number(r.checks);
    up += Number(r.up);
    r.histogram.forEach((n, i) => histogram[i] += Number(n));
  }
  const p95 = percentileFromHistogram(histogram, 0.95);
  return {
    name: m.name,
    status: m.status,
    enabled: m.enabled,
    uptime: checks === 0 ? null : Math.round((up / checks) * 100_000) / 1000,
    p95: p95 === null ? null : Math.round(p95),
  };
}
