import { z } from "zod";

const email = z.string().trim().max(254, "must be at most 254 characters").pipe(
  z.email("must be an email address"),
);

/** The body of `POST /api/v1/auth/register` and the fields of the register form. */
export const registerSchema = z.strictObject({
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

/** The body of `POST /api/v1/auth/login` and the fields of the sign-in form. */
export const loginSchema = z.strictObject({
  email: z.string().max(254, "must be at most 254 characters"),
  password: z.string().max(200, "must be at most 200 characters"),
});

/** The body of `POST /api/v1/auth/password`. */
export const passwordChangeSchema = z.strictObject({
  current_password: z.string().max(200, "must be at most 200 characters"),
  new_password: registerSchema.shape.password,
});

export type RegisterInput = z.infer<typeof registerSchema>;
export type LoginInput = z.infer<typeof loginSchema>;
