import { lookup as dnsLookup } from "node:dns";
import { isIpLiteral, isPrivateAddress, isPrivateHostName } from "../core/net/private_address.ts";
import { CheckFailure } from "./check_failure.ts";

/** A resolver: every address of a host name. */
export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

/** The address policy of one check. */
export interface Guard {
  /** Allow loopback, private and link-local addresses. */
  allowPrivate: boolean;
  /** Which addresses are refused when private targets are not allowed. */
  isBlocked: (address: string) => boolean;
  resolve: Resolve;
}

/** The system resolver (getaddrinfo), all addresses in the resolver's order. */
export function systemResolve(host: string): Promise<{ address: string; family: number }[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses as { address: string; family: number }[]);
    });
  });
}

/** The default policy: private targets refused by {@linkcode isPrivateAddress}. */
export function defaultGuard(overrides: Partial<Guard> = {}): Guard {
  return {
    allowPrivate: false,
    isBlocked: isPrivateAddress,
    resolve: systemResolve,
    ...overrides,
  };
}

/**
 * Refuses a host before any connection when it is a private IP literal or a
 * name that always points inside (`localhost`, `*.internal`, …).
 */
export function assertHostAllowed(host: string, guard: Guard): void {
  if (guard.allowPrivate) return;
  if (isIpLiteral(host) && guard.isBlocked(host)) {
    throw new CheckFailure(`Blocked: ${host} is a private address`);
  }
  if (isPrivateHostName(host)) {
    throw new CheckFailure(`Blocked: ${host} is a local name`);
  }
}

/**
 * The connect-time lookup for `node:http`: resolves once, refuses private
 * answers, and hands the socket exactly the addresses it checked, so a DNS
 * answer that changes between validation and connection cannot slip through.
 */
export function guardedLookup(guard: Guard) {
  return function lookup(
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: (
      err: Error | null,
      address: string | { address: string; family: number }[],
      family?: number,
    ) => void,
  ) {
    guard.resolve(hostname).then((list) => {
      if (list.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`no addresses for ${hostname}`);
        e.code = "ENOTFOUND";
        return callback(e, "");
      }
      if (!guard.allowPrivate) {
        const bad = list.find((a) => guard.isBlocked(a.address));
        if (bad) {
          const e: NodeJS.ErrnoException = new Error(
            `Blocked: ${hostname} resolves to private address ${bad.address}`,
          );
          e.code = "EBLOCKED";
          return callback(e, "");
        }
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    }, (err) => callback(err, ""));
  };
}
