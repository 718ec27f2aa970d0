import ipaddr from "ipaddr.js";

/**
 * Address classification for the SSRF rule: monitors may target only global
 * unicast addresses unless `ALLOW_PRIVATE_TARGETS=true`. ipaddr.js names every
 * special-purpose block (loopback, RFC 1918, link-local and cloud metadata,
 * CGNAT, unique-local, multicast, documentation, benchmarking, reserved …);
 * IPv6 forms that carry an IPv4 address (IPv4-mapped and -translated,
 * IPv4-compatible, NAT64, 6to4) are judged by the address they carry, and
 * tunnels that hide it (Teredo, local-use NAT64) are refused. Pure functions
 * over address strings; DNS lives with the callers.
 */

function ipv4IsPublic(v4: ipaddr.IPv4): boolean {
  return v4.range() === "unicast";
}

function embeddedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = v6.parts;
  const tail = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  switch (v6.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d, IPv4-translated
      return tail(p[6], p[7]);
    case "rfc6052": // 64:ff9b::a.b.c.d (well-known NAT64 prefix)
      return p[2] === 0 ? tail(p[6], p[7]) : null;
    case "6to4": // 2002:aabb:ccdd::
      return tail(p[1], p[2]);
  }
  // ::a.b.c.d, the deprecated IPv4-compatible form.
  if (p.slice(0, 6).every((g) => g === 0)) return tail(p[6], p[7]);
  return null;
}

function ipv6IsPublic(v6: ipaddr.IPv6): boolean {
  const range = v6.range();
  if (range === "unspecified" || range === "loopback") return false;
  const v4 = embeddedIpv4(v6);
  if (v4) return ipv4IsPublic(v4);
  return range === "unicast";
}

function parse(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let s = address;
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  try {
    return ipaddr.parse(s);
  } catch {
    return null;
  }
}

/**
 * True for an IP address a monitor may not target: anything but global
 * unicast. A string that is not an address at all is not private (it is a
 * host name, judged after lookup).
 */
export function isPrivateAddress(address: string): boolean {
  const ip = parse(address);
  if (!ip) return false;
  return ip.kind() === "ipv4" ? !ipv4IsPublic(ip as ipaddr.IPv4) : !ipv6IsPublic(ip as ipaddr.IPv6);
}

/** True when `host` is an IPv4 (dotted quad) or IPv6 literal (brackets allowed). */
export function isIpLiteral(host: string): boolean {
  const h = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return ipaddr.IPv4.isValidFourPartDecimal(h) || ipaddr.IPv6.isValid(h);
}

/** Host names that always point inside: refused without a DNS lookup. */
export function isPrivateHostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost") ||
    h.endsWith(".local") ||
    h.endsWith(".internal") || h === "metadata" || h.endsWith(".home.arpa");
}

/**
 * The key a per-address limit counts under: an IPv4 address as it is, an
 * IPv6 address by its /64 (one subscriber usually holds a whole /64), an
 * IPv4-mapped IPv6 address as its IPv4 address.
 */
export function addressKey(address: string): string {
  const ip = parse(address);
  if (!ip) return address;
  if (ip.kind() === "ipv4") return ip.toString();
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const p = v6.parts;
  return `${[p[0], p[1], p[2], p[3]].map((g) => g.toString(16)).join(":")}::/64`;
}
