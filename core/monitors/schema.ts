import { z } from "zod";
import { parseExpectedStatus } from "./expected_status.ts";
import { HTTP_METHODS, MONITOR_TYPES, RECORD_TYPES } from "./monitor.ts";

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

/** A host name or IP literal (no scheme, no port). */
const host = z.string().min(1, "must not be empty").max(253, "must be at most 253 characters")
  .regex(
    /^(\[?[0-9a-fA-F:.]+\]?|[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]{0,62}[A-Za-z0-9])?)*\.?)$/,
    "must be a host name or an IP address",
  );

/** An IP address, optionally with a port: `9.9.9.9`, `9.9.9.9:5353`, `[2620:fe::fe]:53`. */
const resolver = z.string().max(100).regex(
  /^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-fA-F:]+\](:\d{1,5})?|[0-9a-fA-F:]+)$/,
  "must be an IP address, optionally with :port",
);

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const headers = z.record(z.string(), z.string().max(1000, "must be at most 1000 characters"))
  .superRefine((value, ctx) => {
    const names = Object.keys(value);
    if (names.length > 20) {
      ctx.addIssue({ code: "custom", message: "must have at most 20 headers" });
    }
    for (const name of names) {
      if (!headerName.test(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: "is not a valid header name" });
      } else if (/[\r\n\0]/.test(value[name])) {
        ctx.addIssue({ code: "custom", path: [name], message: "must not contain line breaks" });
      } else if (
        ["host", "content-length", "transfer-encoding", "connection"].includes(name.toLowerCase())
      ) {
        ctx.addIssue({ code: "custom", path: [name], message: "is set by V-Insight itself" });
      }
    }
  });

const jsonAssertion = z.strictObject({
  path: z.string().max(200).regex(
    /^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d{1,6}\])*$/,
    "must be a path like $.status or $.items[0].state",
  ),
  op: z.enum(["==", "!=", "<", ">", "contains"], { message: "must be ==, !=, <, > or contains" }),
  value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]),
});

const common = {
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  interval_seconds: z.number().int().min(10).max(86400),
  timeout_ms: z.number().int().min(100).max(60000),
  enabled: z.boolean(),
};

const httpFields = {
  url,
  method: z.enum(HTTP_METHODS, { message: `must be one of ${HTTP_METHODS.join(", ")}` }),
  expected_status: expectedStatus,
  keyword: z.string().min(1, "must not be empty; use null for none").max(1024).nullable(),
  keyword_absent: z.boolean(),
  ignore_tls_errors: z.boolean(),
  headers,
  body: z.string().max(16384, "must be at most 16 KiB").nullable(),
  json_assertion: jsonAssertion.nullable(),
  follow_redirects: z.boolean(),
  max_redirects: z.number().int().min(0).max(20),
};
const tcpFields = { host, port: z.number().int().min(1).max(65535) };
const dnsFields = {
  hostname: host,
  record_type: z.enum(RECORD_TYPES, { message: `must be one of ${RECORD_TYPES.join(", ")}` }),
  expected: z.string().min(1).max(1000).nullable(),
  resolver: resolver.nullable(),
};
const pushFields = { grace_seconds: z.number().int().min(0).max(86400) };

const defaults = {
  interval_seconds: common.interval_seconds.default(60),
  timeout_ms: common.timeout_ms.default(10000),
  enabled: common.enabled.default(true),
};

/** The create body of each kind, with API.md's defaults. */
const createByType = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("http"),
    name: common.name,
    ...defaults,
    url: httpFields.url,
    method: httpFields.method.default("GET"),
    expected_status: httpFields.expected_status.default("200-399"),
    keyword: httpFields.keyword.default(null),
    keyword_absent: httpFields.keyword_absent.default(false),
    ignore_tls_errors: httpFields.ignore_tls_errors.default(false),
    headers: httpFields.headers.default({}),
    body: httpFields.body.default(null),
    json_assertion: httpFields.json_assertion.default(null),
    follow_redirects: httpFields.follow_redirects.default(true),
    max_redirects: httpFields.max_redirects.default(10),
  }),
  z.strictObject({ type: z.literal("tcp"), name: common.name, ...defaults, ...tcpFields }),
  z.strictObject({
    type: z.literal("dns"),
    name: common.name,
    ...defaults,
    hostname: dnsFields.hostname,
    record_type: dnsFields.record_type.default("A"),
    expected: dnsFields.expected.default(null),
    resolver: dnsFields.resolver.default(null),
  }),
  z.strictObject({
    type: z.literal("push"),
    name: common.name,
    ...defaults,
    grace_seconds: pushFields.grace_seconds.default(60),
  }),
], { error: () => `must be one of ${MONITOR_TYPES.join(", ")}` });

/** The body of `POST /api/v1/monitors`: `type` defaults to `http`. */
export const monitorCreateSchema = z.preprocess(
  (
    v,
  ) => (v && typeof v === "object" && !Array.isArray(v) && !("type" in v)
    ? { ...v, type: "http" }
    : v),
  createByType,
);

/** The fields a PATCH of each kind may change: any subset of its create fields. */
export const monitorPatchSchemas = {
  http: z.strictObject({ type: z.literal("http"), ...common, ...httpFields }).partial(),
  tcp: z.strictObject({ type: z.literal("tcp"), ...common, ...tcpFields }).partial(),
  dns: z.strictObject({ type: z.literal("dns"), ...common, ...dnsFields }).partial(),
  push: z.strictObject({ type: z.literal("push"), ...common, ...pushFields }).partial(),
};

export type MonitorInput = z.infer<typeof createByType>;
export type MonitorPatch = z.infer<(typeof monitorPatchSchemas)[keyof typeof monitorPatchSchemas]>;
