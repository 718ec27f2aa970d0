import { z } from "zod";
import { UUID_PATTERN } from "../db/rows.ts";

const component = z.strictObject({
  monitor_id: z.string().regex(UUID_PATTERN, "must be a monitor id (a UUID)"),
  name: z.string().trim().min(1, "must not be empty").max(100).optional(),
  group: z.string().trim().min(1, "must not be empty").max(100).nullable().optional(),
});

const fields = {
  slug: z.string().regex(
    /^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$/,
    "must be 3 to 60 characters of a-z, 0-9 and -",
  ),
  title: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  description: z.string().max(2000, "must be at most 2000 characters").nullable(),
  custom_domain: z.string().toLowerCase().regex(
    /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a host name like status.example.com",
  ).nullable(),
  published: z.boolean(),
  show_response_times: z.boolean(),
  components: z.array(component).max(100, "must have at most 100 components"),
};

/** The body of `POST /api/v1/status-pages`. */
export const statusPageCreateSchema = z.strictObject({
  slug: fields.slug,
  title: fields.title,
  description: fields.description.default(null),
  custom_domain: fields.custom_domain.default(null),
  published: fields.published.default(true),
  show_response_times: fields.show_response_times.default(false),
  components: fields.components.default([]),
});

/** The body of `PATCH /api/v1/status-pages/:id`: any subset; `components` replaces the list. */
export const statusPagePatchSchema = z.strictObject(fields).partial();

export type StatusPageInput = z.infer<typeof statusPageCreateSchema>;
export type StatusPagePatch = z.infer<typeof statusPagePatchSchema>;
