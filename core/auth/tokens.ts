import { jwtVerify, SignJWT } from "jose";

/** Who a request acts as. */
export interface Principal {
  userId: string;
  tenantId: number;
}

/** Tokens live seven days (API.md, logout). */
export const TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** Signs and verifies the HS256 session and Bearer tokens. */
export class TokenService {
  #key: Uint8Array;

  constructor(secret: string) {
    this.#key = new TextEncoder().encode(secret);
  }

  /** Issues a token for `principal`, valid {@linkcode TOKEN_TTL_SECONDS}. */
  async issue(
    principal: Principal,
    now = new Date(),
  ): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ tid: principal.tenantId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(principal.userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setIssuer("v-insight")
      .sign(this.#key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Verifies a token; `null` for anything tampered, expired, unsigned or malformed. */
  async verify(token: string): Promise<Principal | null> {
    if (token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ["HS256"],
        issuer: "v-insight",
        // A token without an expiry would be valid forever: refuse it.
        requiredClaims: ["exp", "iat", "sub"],
      });
      if (typeof payload.sub !== "string" || typeof payload.tid !== "number") {
        return null;
      }
      return { userId: payload.sub, tenantId: payload.tid };
    } catch {
      return null;
    }
  }
}
