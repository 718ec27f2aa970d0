/**
 * Address classification for the SSRF rule: monitors may not target loopback,
 * private, link-local, CGNAT, unique-local, multicast, reserved or cloud
 * metadata addresses unless `ALLOW_PRIVATE_TARGETS=true`. Pure functions over
 * address strings; DNS lives with the callers.
 */

function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

function ipv4IsPrivate([a, b, c]: number[]): boolean {
  return a === 0 || // "this network", 0.0.0.0
    a === 10 || // RFC 1918
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // CGNAT, RFC 6598
    (a === 169 && b === 254) || // link-local and cloud metadata
    (a === 172 && b >= 16 && b <= 31) || // RFC 1918
    (a === 192 && b === 168) || // RFC 1918
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF, TEST-NET-1
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224; // multicast, reserved, broadcast
}

/** Expands an IPv6 address into eight 16-bit groups, or `null` when malformed. */
function parseIpv6(text: string): number[] | null {
  let s = text.toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(":")) return null;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  const maybeV4 = s.slice(lastColon + 1);
  if (maybeV4.includes(".")) {
    const v4 = parseIpv4(maybeV4);
    if (!v4) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    s = s.slice(0, lastColon + 1) + "0";
    s = s.endsWith("::0") ? s.slice(0, -1) : s.slice(0, -2);
    if (s === "" || s.endsWith(":") && !s.endsWith("::")) {
      s = s.replace(/:$/, "");
    }
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (
    h: string,
  ) => (h === "" ? [] : h.split(":").map((
    g,
  ) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const total = 8 - tail.length;
  let groups: number[];
  if (halves.length === 2) {
    const fill = total - head.length - rest.length;
    if (fill < 0) return null;
    groups = [...head, ...Array(fill).fill(0), ...rest];
  } else {
    groups = head;
  }
  groups = [...groups, ...tail];
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return null;
  return groups;
}

function ipv6IsPrivate(g: number[]): boolean {
  const allZeroPrefix = g.slice(0, 5).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) carry an IPv4 address.
  if (allZeroPrefix && (g[5] === 0xffff || g[5] === 0)) {
    if (g[5] === 0 && g[6] === 0 && g[7] <= 1) return true; // :: and ::1
    return ipv4IsPrivate([g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255]);
  }
  // 64:ff9b::/96 NAT64 embeds an IPv4 address too.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return ipv4IsPrivate([g[6] >> 8, g[6] & 255, g[7] >> 8, g[7] & 255]);
  }
  return (g[0] & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (g[0] & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (g[0] & 0xffc0) === 0xfec0 || // site-local (deprecated)
    (g[0] & 0xff00) === 0xff00 || // multicast
    (g[0] === 0x2001 && g[1] === 0x0db8) || // documentation
    (g[0] === 0xfd00 && g[1] === 0x0ec2); // AWS metadata fd00:ec2::254 (also ULA)
}

/** True for an IP literal in a range a monitor may not target. */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return ipv4IsPrivate(v4);
  const v6 = parseIpv6(address);
  if (v6) return ipv6IsPrivate(v6);
  return false;
}

/** True when `host` is an IPv4 or IPv6 literal (brackets allowed). */
export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== null || parseIpv6(host) !== null;
}

/** Host names that always point inside: refused without a DNS lookup. */
export function isPrivateHostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost") ||
    h.endsWith(".local") ||
    h.endsWith(".internal") || h === "metadata" || h.endsWith(".home.arpa");
}
