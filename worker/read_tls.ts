import { checkServerIdentity, type PeerCertificate, type TLSSocket } from "node:tls";

/** What the TLS certificate of an https hop says. */
export interface TlsInfo {
  valid: boolean;
  expiresAt: string | null;
  problem: string | null;
}

/** The sentence for an OpenSSL verification code. */
export function tlsProblem(code: string | null, host: string): string {
  switch (code) {
    case "CERT_HAS_EXPIRED":
      return "TLS certificate expired";
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return "TLS certificate is self-signed";
    case "CERT_NOT_YET_VALID":
      return "TLS certificate is not yet valid";
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_GET_ISSUER_CERT":
      return "TLS certificate chain is incomplete or untrusted";
    case "HOSTNAME_MISMATCH":
      return `TLS certificate does not match host ${host}`;
    default:
      return `TLS certificate is invalid (${code})`;
  }
}

/**
 * Reads the peer certificate of a TLS socket: its expiry, and whether it is
 * valid for `host`, with a problem a person understands when it is not.
 * Expiry comes first: "expired" is what a person needs to hear.
 */
export function readTls(socket: TLSSocket, host: string, now = Date.now()): TlsInfo {
  const cert = socket.getPeerCertificate() as PeerCertificate | undefined;
  const expiresAt = cert?.valid_to ? new Date(cert.valid_to).toISOString() : null;
  let code: string | null = socket.authorized
    ? null
    : String(socket.authorizationError ?? "UNKNOWN");
  if (!code && cert && cert.subject) {
    if (checkServerIdentity(host, cert) !== undefined) {
      code = "HOSTNAME_MISMATCH";
    }
  }
  // Dates first: "expired" is what a person needs to hear, whatever else the chain lacks.
  if (cert?.valid_to && Date.parse(cert.valid_to) < now) code = "CERT_HAS_EXPIRED";
  else if (cert?.valid_from && Date.parse(cert.valid_from) > now) code = "CERT_NOT_YET_VALID";
  return {
    valid: code === null,
    expiresAt,
    problem: code ? tlsProblem(code, host) : null,
  };
}
