import { lookup } from "node:dns/promises";
import { isIpLiteral, isPrivateAddress, isPrivateHostName } from "../net/private_address.ts";

/**
 * Refuses a monitor URL whose host is, or resolves to, a private address.
 * Returns the reason, or `null` when the target is allowed. A name that does
 * not resolve now is allowed: the check reports the DNS failure, and the
 * worker applies the same rule again to the address it connects to.
 */
export async function privateTargetReason(url: string): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIpLiteral(host)) {
    return isPrivateAddress(host) ? `address ${host} is private, loopback or link-local` : null;
  }
  if (isPrivateHostName(host)) return `host ${host} is a local name`;
  try {
    const answers = await lookup(host, { all: true, verbatim: true });
    const bad = answers.find((a) => isPrivateAddress(a.address));
    return bad ? `host ${host} resolves to private address ${bad.address}` : null;
  } catch {
    return null;
  }
}
