/** The error codes of API.md, each with its HTTP status. */
export type ErrorCode =
  | "validation_error"
  | "invalid_json"
  | "unauthorized"
  | "invalid_credentials"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "internal"
  | "unavailable";

/** One field-level problem in a `validation_error`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Options of {@linkcode HttpError}. */
export interface HttpErrorOptions {
  /** Field-level problems, answered as `details`. */
  details?: ErrorDetail[];
  /** Headers of the error response, e.g. `Retry-After` or `Allow`. */
  headers?: Record<string, string>;
  /** The error that caused this one (logged for 5xx, never answered). */
  cause?: unknown;
}

/**
 * A request failure that maps one to one onto API.md's error shape
 * `{error: {code, message, details?}}`.
 *
 * @example
 * throw new HttpError(429, "rate_limited", "Too many sign-in attempts", {
 *   headers: { "Retry-After": "30" },
 * });
 */
export class HttpError extends Error {
  override name = "HttpError";
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    options: HttpErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
    this.headers = options.headers;
  }

  /** The JSON body of this error. */
  toBody(): {
    error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
  } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** `404 not_found` for a resource that does not exist or belongs to another tenant. */
export function notFound(what: string): HttpError {
  return new HttpError(404, "not_found", `${what} not found`);
}

/** `429 rate_limited` with `Retry-After` in whole seconds. */
export function rateLimited(seconds: number, message: string): HttpError {
  return new HttpError(429, "rate_limited", `${message}; try again in ${seconds} s`, {
    headers: { "Retry-After": String(seconds) },
  });
}
