import { z } from "zod";
import { parseExpectedStatus } from "./expected_status.ts";

const url = z.string().max(2048, "must be at most 2048 characters").superRefine(
  (value, ctx) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "must be an absolute http or https URL",
      });
      return;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      ctx.addIssue({
        code: "custom",
        message: `must use http or https, got ${parsed.protocol.replace(":", "")}`,
      });
    } else if (parsed.username || parsed.password) {
      ctx.addIssue({ code: "custom", message: "must not contain credentials" });
    }
  },
);

const expectedStatus = z.string().superRefine((value, ctx) => {
  try {
    parseExpectedStatus(value);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

const fields = {
  name: z.string().trim().min(1, "must not be empty").max(
    100,
    "must be at most 100 characters",
  ),
  url,
  method: z.enum(["GET", "HEAD"]),
  interval_seconds: z.number().int().min(10).max(86400),
  timeout_ms: z.number().int().min(100).max(60000),
  expected_status: expectedStatus,
  keyword: z.string().min(1, "must not be empty; use null for none").max(1024)
    .nullable(),
  ignore_tls_errors: z.boolean(),
  enabled: z.boolean(),
};

/** The body of `POST /api/v1/monitors`, with API.md's defaults. */
export const monitorCreateSchema = z.strictObject({
  name: fields.name,
  url: fields.url,
  method: fields.method.default("GET"),
  interval_seconds: fields.interval_seconds.default(60),
  timeout_ms: fields.timeout_ms.default(10000),
  expected_status: fields.expected_status.default("200-399"),
  keyword: fields.keyword.default(null),
  ignore_tls_errors: fields.ignore_tls_errors.default(false),
  enabled: fields.enabled.default(true),
});

/** The body of `PATCH /api/v1/monitors/:id`: any subset of the create fields. */
export const monitorPatchSchema = z.strictObject(fields).partial();

export type MonitorInput = z.infer<typeof monitorCreateSchema>;
export type MonitorPatch = z.infer<typeof monitorPatchSchema>;
