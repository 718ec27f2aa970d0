/** Log levels in increasing severity. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};

/** A JSON-lines logger: one object per line on stderr (errors) or stdout. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Query parameters whose values are credentials and must never be logged. */
const SECRET_PARAMS = /([?&](?:token|ticket|access_token|password)=)[^&#\s]*/gi;

/** Replaces credential values in a URL or path with `REDACTED`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, "$1REDACTED");
}

/**
 * Creates a logger that writes JSON lines at `level` and above. String field
 * values pass through {@linkcode redactUrl}, so a URL carrying `?token=` cannot
 * leak into a log line by accident.
 */
export function createLogger(
  level: LogLevel,
  write: (line: string, level: LogLevel) => void = defaultWrite,
): Logger {
  const min = ORDER[level];
  function log(lvl: LogLevel, msg: string, fields?: Record<string, unknown>) {
    if (ORDER[lvl] < min) return;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: lvl,
      msg,
    };
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        entry[k] = typeof v === "string" ? redactUrl(v) : v instanceof Error ? errorFields(v) : v;
      }
    }
    write(JSON.stringify(entry), lvl);
  }
  return {
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
  };
}

function errorFields(e: Error) {
  return {
    name: e.name,
    message: redactUrl(e.message),
    stack: e.stack && redactUrl(e.stack),
  };
}

function defaultWrite(line: string, level: LogLevel) {
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}
