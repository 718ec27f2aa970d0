import { AuthForm, type AuthFormProps } from "../components/AuthForm.tsx";
import { registerSchema } from "../core/auth/schema.ts";
import type { AppContext, RouteConfig } from "../web/app_env.ts";
import { readForm, textProblem, zodDetails } from "../web/body.ts";
import { HttpError } from "../web/http_error.ts";
import type { Handlers, PageProps } from "../web/route_types.ts";
import { checkRegister, refuseCrossSite, registerLimit, startSession } from "../web/session.ts";

export const config: RouteConfig = { auth: "none" };

const LABELS: Record<string, string> = {
  email: "Email",
  password: "Password",
  tenant_name: "Organisation",
};

function render(c: AppContext, props: AuthFormProps, status = 200) {
  return c.var.render(props, { title: "Register", status });
}

/** `GET /register` shows the form; `POST /register` creates the account and signs in. */
export const handler: Handlers = {
  GET: (c) => render(c, { mode: "register", values: {}, errors: {} }),
  POST: [registerLimit, async (c) => {
    refuseCrossSite(c);
    const values = await readForm(c);
    const fields = {
      email: values.email ?? "",
      password: values.password ?? "",
      tenant_name: values.tenant_name ?? "",
    };
    const errors: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) {
      const problem = textProblem(value);
      if (problem) errors[name] = `${LABELS[name]} ${problem}`;
    }
    const parsed = registerSchema.safeParse(fields);
    if (!parsed.success) {
      for (const d of zodDetails(parsed.error)) {
        errors[d.path] ??= `${LABELS[d.path] ?? d.path} ${d.message}`;
      }
    }
    if (!parsed.success || Object.keys(errors).length) {
      return render(c, { mode: "register", values, errors }, 400);
    }
    try {
      await startSession(c, await checkRegister(c, parsed.data));
    } catch (e) {
      if (e instanceof HttpError && e.status < 500) {
        const res = await render(
          c,
          { mode: "register", values, errors: {}, message: e.message },
          e.status,
        );
        for (const [k, v] of Object.entries(e.headers ?? {})) res.headers.set(k, v);
        return res;
      }
      throw e;
    }
    return c.redirect("/domains", 303);
  }],
};

/** The register page. */
export default function RegisterPage({ data }: PageProps<AuthFormProps>) {
  return <AuthForm {...data} />;
}
