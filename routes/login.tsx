import { AuthForm, type AuthFormProps } from "../components/AuthForm.tsx";
import { loginSchema } from "../core/auth/schema.ts";
import type { AppContext, RouteConfig } from "../web/app_env.ts";
import { readForm } from "../web/body.ts";
import { HttpError } from "../web/http_error.ts";
import type { Handlers, PageProps } from "../web/route_types.ts";
import { checkLogin, refuseCrossSite, safeNext, startSession } from "../web/session.ts";

export const config: RouteConfig = { auth: "none" };

function render(c: AppContext, props: AuthFormProps, status = 200) {
  return c.var.render(props, { title: "Sign in", status });
}

/**
 * `GET /login` shows the form; `POST /login` signs in and goes to `next`
 * (only ever a path of this server) or the dashboard.
 */
export const handler: Handlers = {
  GET(c) {
    const next = c.req.query("next");
    return render(c, { mode: "login", values: {}, errors: {}, next });
  },
  async POST(c) {
    refuseCrossSite(c);
    const values = await readForm(c);
    const next = safeNext(c, c.req.query("next"));
    const input = loginSchema.safeParse({
      email: values.email ?? "",
      password: values.password ?? "",
    });
    try {
      if (!input.success) {
        throw new HttpError(400, "validation_error", "Enter your email and password.");
      }
      await startSession(c, await checkLogin(c, input.data));
    } catch (e) {
      if (e instanceof HttpError && e.status < 500) {
        const res = await render(
          c,
          { mode: "login", values, errors: {}, message: e.message, next },
          e.status,
        );
        for (const [k, v] of Object.entries(e.headers ?? {})) res.headers.set(k, v);
        return res;
      }
      throw e;
    }
    return c.redirect(next, 303);
  },
};

/** The sign-in page. */
export default function LoginPage({ data }: PageProps<AuthFormProps>) {
  return <AuthForm {...data} />;
}
