import type { Context, Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import { HttpError } from "../core/http_error.ts";
import { checkLogin, checkRegister, registerSchema, startSession } from "./api/v1/auth.ts";
import type { AppDeps, AppEnv } from "./_env.ts";
import { isHttps, readBodyText, zodDetails } from "./_http.ts";
import { Layout, type PageContext, renderPage } from "./_layout.tsx";
import { isSameOrigin, SESSION_COOKIE } from "./_middleware/authenticate.ts";
import { safeNext } from "./_page_auth.ts";
import type { StaticAssets } from "./_static.ts";

type Errors = Record<string, string>;

function AuthForm(
  { ctx, mode, values, errors, message, next }: {
    ctx: PageContext;
    mode: "login" | "register";
    values: Record<string, string>;
    errors: Errors;
    message?: string;
    next?: string;
  },
) {
  const register = mode === "register";
  const field = (
    name: string,
    label: string,
    type: string,
    autocomplete: string,
    hint?: string,
  ) => (
    <div class={`field ${errors[name] ? "field-invalid" : ""}`}>
      <label for={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        autocomplete={autocomplete}
        value={type === "password" ? "" : values[name] ?? ""}
        required
        aria-invalid={errors[name] ? "true" : undefined}
        aria-describedby={errors[name] ? `${name}-error` : undefined}
      />
      {errors[name]
        ? <span class="field-error" id={`${name}-error`}>{errors[name]}</span>
        : hint && <span class="field-hint">{hint}</span>}
    </div>
  );
  return (
    <Layout ctx={ctx} title={register ? "Register" : "Sign in"}>
      <div class="card narrow auth">
        <h1>{register ? "Create your account" : "Sign in"}</h1>
        {message && <p class="form-error" role="alert">{message}</p>}
        <form
          method="post"
          action={register
            ? "/register"
            : `/login${next ? `?next=${encodeURIComponent(next)}` : ""}`}
        >
          {register && field("tenant_name", "Organisation", "text", "organization")}
          {field("email", "Email", "email", "email")}
          {field(
            "password",
            "Password",
            "password",
            register ? "new-password" : "current-password",
            register ? "10 to 200 characters" : undefined,
          )}
          <button type="submit" class="button primary wide">
            {register ? "Create account" : "Sign in"}
          </button>
        </form>
        <p class="muted">
          {register
            ? (
              <>
                Have an account? <a href="/login">Sign in</a>
              </>
            )
            : (
              <>
                New here? <a href="/register">Create an account</a>
              </>
            )}
        </p>
      </div>
    </Layout>
  );
}

async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const params = new URLSearchParams(await readBodyText(c));
  return Object.fromEntries(params);
}

/** `/register`, `/login` and `/logout` as HTML forms that work without JavaScript. */
export function authPages(app: Hono<AppEnv>, deps: AppDeps, assets: StaticAssets): void {
  const ctx = (c: Context<AppEnv>): PageContext => ({
    assets,
    nonce: c.get("cspNonce"),
    path: new URL(c.req.url).pathname,
  });
  const sameOriginOr403 = (c: Context<AppEnv>) => {
    if (!isSameOrigin(c, deps.config.trustProxy)) {
      throw new HttpError(403, "forbidden", "This form must be sent from V-Insight's own pages.");
    }
  };
  const fail = (c: Context<AppEnv>, e: unknown, render: (message: string) => string) => {
    if (e instanceof HttpError && e.status < 500) {
      return c.html(render(e.message), e.status as 400, e.headers ?? {});
    }
    throw e;
  };

  app.get(
    "/register",
    (c) => c.html(renderPage(<AuthForm ctx={ctx(c)} mode="register" values={{}} errors={{}} />)),
  );
  app.post("/register", async (c) => {
    sameOriginOr403(c);
    const values = await readForm(c);
    const parsed = registerSchema.safeParse({
      email: values.email ?? "",
      password: values.password ?? "",
      tenant_name: values.tenant_name ?? "",
    });
    if (!parsed.success) {
      const errors = Object.fromEntries(
        zodDetails(parsed.error).map((
          d,
        ) => [
          d.path,
          `${
            d.path === "tenant_name" ? "Organisation" : d.path[0].toUpperCase() + d.path.slice(1)
          } ${d.message}`,
        ]),
      );
      return c.html(
        renderPage(<AuthForm ctx={ctx(c)} mode="register" values={values} errors={errors} />),
        400,
      );
    }
    try {
      await startSession(c, deps, await checkRegister(c, deps, parsed.data), 201);
    } catch (e) {
      return fail(
        c,
        e,
        (message) =>
          renderPage(
            <AuthForm ctx={ctx(c)} mode="register" values={values} errors={{}} message={message} />,
          ),
      );
    }
    return c.redirect("/domains", 303);
  });

  app.get("/login", (c) => {
    const next = c.req.query("next");
    return c.html(
      renderPage(<AuthForm ctx={ctx(c)} mode="login" values={{}} errors={{}} next={next} />),
    );
  });
  app.post("/login", async (c) => {
    sameOriginOr403(c);
    const values = await readForm(c);
    const next = safeNext(c.req.query("next"));
    const input = z.object({ email: z.string().max(254), password: z.string().max(200) }).safeParse(
      values,
    );
    try {
      if (!input.success) {
        throw new HttpError(400, "validation_error", "Enter your email and password.");
      }
      await startSession(c, deps, await checkLogin(c, deps, input.data), 200);
    } catch (e) {
      return fail(
        c,
        e,
        (message) =>
          renderPage(
            <AuthForm
              ctx={ctx(c)}
              mode="login"
              values={values}
              errors={{}}
              message={message}
              next={next}
            />,
          ),
      );
    }
    return c.redirect(next, 303);
  });

  app.post("/logout", (c) => {
    sameOriginOr403(c);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c, deps.config.trustProxy) });
    return c.redirect("/", 303);
  });
}
