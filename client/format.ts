/** Formatting shared by pages and islands; pure, so the server and the browser agree. */

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function timeAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** Whole days until a certificate expires, or `null` without TLS. */
export function tlsDaysLeft(iso: string | null, now = Date.now()): number | null {
  if (!iso) return null;
  return Math.floor((Date.parse(iso) - now) / 86_400_000);
}

/** A duration in ms as text. */
export function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${value} ms`;
}

/** A date and time in ISO-like form, in UTC, readable on every locale. */
export function when(iso: string | null): string {
  return iso ? iso.replace("T", " ").slice(0, 19) + " UTC" : "–";
}

/** A rule condition as a sentence. */
export function describeCondition(
  c:
    | { type: "consecutive_failures"; count: number }
    | { type: "response_time_above"; ms: number; for_checks: number }
    | { type: "ssl_expires_within"; days: number },
): string {
  switch (c.type) {
    case "consecutive_failures":
      return `${c.count} failed check${c.count === 1 ? "" : "s"} in a row`;
    case "response_time_above":
      return `response time above ${c.ms} ms for ${c.for_checks} check${
        c.for_checks === 1 ? "" : "s"
      }`;
    case "ssl_expires_within":
      return `TLS certificate expires within ${c.days} day${c.days === 1 ? "" : "s"}`;
  }
}

/** What a monitor watches, in a line: its URL, `host:port`, `A example.com`, or "push". */
export function targetOf(m: {
  type?: string;
  url: string | null;
  host?: string | null;
  port?: number | null;
  hostname?: string | null;
  record_type?: string | null;
}): string {
  switch (m.type) {
    case "tcp":
      return `tcp ${m.host}:${m.port}`;
    case "dns":
      return `dns ${m.record_type} ${m.hostname}`;
    case "push":
      return "push (heartbeat)";
    default:
      return m.url ?? "";
  }
}
