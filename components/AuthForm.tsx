/** Field name → message. */
export type Errors = Record<string, string>;

/** What the sign-in and register pages render. */
export interface AuthFormProps {
  mode: "login" | "register";
  values: Record<string, string>;
  errors: Errors;
  message?: string;
  next?: string;
}

/** The sign-in or register form; works without JavaScript (a plain POST). */
export function AuthForm({ mode, values, errors, message, next }: AuthFormProps) {
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
    <div class="card narrow auth">
      <h1>{register ? "Create your account" : "Sign in"}</h1>
      {message && <p class="form-error" role="alert">{message}</p>}
      <form
        method="post"
        action={register ? "/register" : `/login${next ? `?next=${encodeURIComponent(next)}` : ""}`}
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
  );
}
