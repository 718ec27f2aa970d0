import { jwtVerify, SignJWT } from "jose";

/** Who a request acts as. */
export interface Principal {
  userId: string;
  tenantId: number;
  /** The session of a signed token; absent for API keys and stream tickets. */
  sessionId?: string;
}

/** A verified token: whom it speaks for, and which session of the user it is. */
export interface TokenClaims extends Principal {
  /** This token's session id (`sid`); `""` for tokens from before sessions had ids. */
  sessionId: string;
  /** The user's token generation when it was issued (`gen`, see `core/auth/sessions.ts`). */
  generation: number;
}

/** Tokens live seven days (API.md, logout). */
export const TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** Signs and verifies the HS256 session and Bearer tokens. */
export class TokenService {
  #key: Uint8Array;

  constructor(secret: string) {
    this.#key = new TextEncoder().encode(secret);
  }

  /**
   * Issues a token for `principal`, valid {@linkcode TOKEN_TTL_SECONDS}, as a
   * new session of the user's token `generation`.
   */
  async issue(
    principal: Principal,
    opts: { generation?: number; now?: Date } = {},
  ): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
    const exp = iat + TOKEN_TTL_SECONDS;
    const sessionId = crypto.randomUUID();
    const token = await new SignJWT({
      tid: principal.tenantId,
      sid: sessionId,
      gen: opts.generation ?? 0,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(principal.userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setIssuer("v-insight")
      .sign(this.#key);
    return { token, expiresAt: new Date(exp * 1000), sessionId };
  }

  /** Verifies a token; `null` for anything tampered, expired, unsigned or malformed. */
  async verify(token: string): Promise<TokenClaims | null> {
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
      const { sid = "", gen = 0 } = payload;
      if (typeof sid !== "string" || !Number.isInteger(gen)) return null;
      return {
        userId: payload.sub,
        tenantId: payload.tid,
        sessionId: sid,
        generation: gen as number,
      };
    } catch {
      return null;
    }
  }
}
