import type { Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import {
  EmailTakenError,
  findAccount,
  findCredentials,
  normalizeEmail,
  registerAccount,
  type Tenant,
  type User,
} from "../../../core/auth/accounts.ts";
import { dummyHash, verifyPassword } from "../../../core/auth/password.ts";
import { TOKEN_TTL_SECONDS } from "../../../core/auth/tokens.ts";
import { HttpError } from "../../../core/http_error.ts";
import type { AppDeps, AppEnv } from "../../_env.ts";
import { clientAddress, isHttps, readJson } from "../../_http.ts";
import { authenticate, SESSION_COOKIE } from "../../_middleware/authenticate.ts";
import { route } from "../../_route.ts";

const email = z.string().trim().max(254, "must be at most 254 characters").pipe(
  z.email("must be an email address"),
);

const registerSchema = z.strictObject({
  email,
  password: z.string().min(10, "must be at least 10 characters").max(
    200,
    "must be at most 200 characters",
  ),
  tenant_name: z.string().trim().min(1, "must not be empty").max(
    100,
    "must be at most 100 characters",
  ),
});

const loginSchema = z.strictObject({
  email: z.string().max(254, "must be at most 254 characters"),
  password: z.string().max(200, "must be at most 200 characters"),
});

function rateLimited(seconds: number, what: string): HttpError {
  return new HttpError(
    429,
    "rate_limited",
    `Too many ${what}; try again in ${seconds} s`,
    undefined,
    {
      "Retry-After": String(seconds),
    },
  );
}

/** Issues a token, sets the session cookie and answers with API.md's session shape. */
export async function startSession(
  c: Context<AppEnv>,
  deps: AppDeps,
  account: { user: User; tenant: Tenant },
  status: 200 | 201,
) {
  const { token, expiresAt } = await deps.tokens.issue({
    userId: account.user.id,
    tenantId: account.tenant.id,
  });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c, deps.config.trustProxy),
    path: "/",
    maxAge: TOKEN_TTL_SECONDS,
  });
  return c.json(
    { token, expires_at: expiresAt.toISOString(), ...account },
    status,
  );
}

/**
 * Checks a login attempt against the per-email and per-address limits and the
 * stored hash. Unknown emails cost a full hash too, so timing tells nothing.
 */
export async function checkLogin(
  c: Context<AppEnv>,
  deps: AppDeps,
  input: { email: string; password: string },
): Promise<{ user: User; tenant: Tenant }> {
  const address = clientAddress(c, deps.config.trustProxy);
  const emailKey = normalizeEmail(input.email);
  const { loginByEmail, loginByAddress } = deps.limiters;
  const wait = Math.max(
    loginByEmail.retryAfter(emailKey),
    loginByAddress.retryAfter(address),
  );
  if (wait > 0) throw rateLimited(wait, "failed sign-in attempts");
  const found = await findCredentials(deps.db, emailKey);
  const ok = await verifyPassword(
    input.password,
    found?.passwordHash ?? await dummyHash(),
  );
  if (!found || !ok) {
    loginByEmail.hit(emailKey);
    loginByAddress.hit(address);
    throw new HttpError(
      401,
      "invalid_credentials",
      "Email or password is wrong",
    );
  }
  loginByEmail.reset(emailKey);
  return { user: found.user, tenant: found.tenant };
}

/** Registers a tenant and its owner, with the per-address limit. */
export async function checkRegister(
  c: Context<AppEnv>,
  deps: AppDeps,
  input: z.infer<typeof registerSchema>,
): Promise<{ user: User; tenant: Tenant }> {
  const address = clientAddress(c, deps.config.trustProxy);
  const wait = deps.limiters.registerByAddress.retryAfter(address);
  if (wait > 0) throw rateLimited(wait, "registrations from this address");
  deps.limiters.registerByAddress.hit(address);
  try {
    return await registerAccount(deps.db, {
      email: input.email,
      password: input.password,
      tenantName: input.tenant_name,
    });
  } catch (e) {
    if (e instanceof EmailTakenError) {
      throw new HttpError(
        409,
        "conflict",
        "An account with this email already exists",
      );
    }
    throw e;
  }
}

export { registerSchema };

/** `/api/v1/auth/*` and `/api/v1/me`. */
export function authRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  route(app, "/api/v1/auth/register", {
    POST: async (c) => {
      const input = await readJson(c, registerSchema, "Cannot register");
      return startSession(c, deps, await checkRegister(c, deps, input), 201);
    },
  });
  route(app, "/api/v1/auth/login", {
    POST: async (c) => {
      const input = await readJson(c, loginSchema, "Cannot sign in");
      return startSession(c, deps, await checkLogin(c, deps, input), 200);
    },
  });
  route(app, "/api/v1/auth/logout", {
    POST: (c) => {
      deleteCookie(c, SESSION_COOKIE, {
        path: "/",
        secure: isHttps(c, deps.config.trustProxy),
      });
      return c.body(null, 204);
    },
  });
  route(app, "/api/v1/me", {
    GET: [authenticate(deps), async (c) => {
      const p = c.get("principal");
      const account = await findAccount(deps.db, p.userId, p.tenantId);
      if (!account) {
        throw new HttpError(
          401,
          "unauthorized",
          "The account of this session no longer exists",
        );
      }
      return c.json(account);
    }],
  });
}
