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
  | "rate_limited"
  | "internal"
  | "unavailable";

/** One field-level problem in a `validation_error`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * A request failure that maps one to one onto API.md's error shape
 * `{error: {code, message, details?}}`.
 */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
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
