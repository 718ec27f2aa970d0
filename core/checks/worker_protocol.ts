import { z } from "zod";

/**
 * The messages across the check worker's port: the one module `worker/`
 * shares with the main thread. Both sides validate what they receive. It
 * imports nothing but zod, so the worker pulls in no main-thread code.
 */

const base = {
  monitorId: z.string(),
  timeoutMs: z.number().int().positive(),
};

/** An http check, with the expected status ranges already parsed. */
export const httpJobSchema = z.object({
  ...base,
  kind: z.literal("http"),
  url: z.string(),
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
  headers: z.record(z.string(), z.string()),
  body: z.string().nullable(),
  /** Inclusive status ranges, already parsed from `expected_status`. */
  expectedStatus: z.array(z.tuple([z.number().int(), z.number().int()])).min(1),
  /** `expected_status` as the user wrote it, for messages. */
  expectedStatusText: z.string(),
  keyword: z.string().nullable(),
  keywordAbsent: z.boolean(),
  jsonAssertion: z.object({
    path: z.string(),
    op: z.enum(["==", "!=", "<", ">", "contains"]),
    value: z.unknown(),
  }).nullable(),
  followRedirects: z.boolean(),
  maxRedirects: z.number().int().min(0),
  ignoreTlsErrors: z.boolean(),
});

/** A claimed monitor, as the worker needs it to run one check. */
export const checkJobSchema = z.discriminatedUnion("kind", [
  httpJobSchema,
  z.object({ ...base, kind: z.literal("tcp"), host: z.string(), port: z.number().int() }),
  z.object({
    ...base,
    kind: z.literal("dns"),
    hostname: z.string(),
    recordType: z.enum(["A", "AAAA", "CNAME", "MX", "TXT", "NS"]),
    expected: z.string().nullable(),
    resolver: z.string().nullable(),
  }),
]);
export type CheckJob = z.infer<typeof checkJobSchema>;
export type HttpJob = z.infer<typeof httpJobSchema>;

/** What one check found. Fields that do not apply are `null` (API.md). */
export const checkOutcomeSchema = z.object({
  monitorId: z.string(),
  success: z.boolean(),
  statusCode: z.number().int().nullable(),
  responseTimeMs: z.number().int().nullable(),
  errorMessage: z.string().nullable(),
  sslValid: z.boolean().nullable(),
  sslExpiresAt: z.string().nullable(),
  checkedAt: z.string(),
  durationMs: z.number(),
});
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

/** Main thread → worker. */
export const toWorkerSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("configure"),
    concurrency: z.number().int().positive(),
    allowPrivateTargets: z.boolean(),
  }),
  z.object({ type: z.literal("check.run"), job: checkJobSchema }),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;

/** Worker → main thread. */
export const fromWorkerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("heartbeat"), inFlight: z.number().int() }),
  z.object({ type: z.literal("check.completed"), outcome: checkOutcomeSchema }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;

/** How often the worker says it is alive. */
export const WORKER_HEARTBEAT_MS = 1000;
